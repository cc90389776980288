/*
 * search.js: the search page.  The index (written by site-gen's search.c)
 * is split: search/index.json says how; the postings of each key are in
 * one shard of search/k/ (chosen by a hash of the key) and the documents
 * in chunks of search/d/.  A query fetches the shards of its keys, finds
 * the documents holding every key, and ranks them: a term's characters
 * side by side (the phrase) in the title, then in the text, above its
 * bigrams only scattered over the title, above scattered in the text;
 * equal scores by document number, which search.c assigns newest year
 * first.  Checking phrases needs the documents' text, so the chunks of
 * the first candidates are fetched (RANK of them, from RANK_CHUNKS chunks
 * at most, so that a big site costs no more).  Each hit shows the passage
 * around its first match with every match marked.  The query lives in
 * the URL (?q=), so a search can be shared and the back button works.
 * No dependencies; text is set as DOM text, never as markup.
 */
(function () {
  'use strict';

  var form = document.getElementById('search-form');
  if (!form || !window.fetch || !window.URLSearchParams || !window.TextEncoder) return;
  var input = document.getElementById('search-q');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var nojs = document.getElementById('search-nojs');
  var root = form.getAttribute('data-root') || '';
  var indexUrl = new URL(form.getAttribute('data-index') || 'index.json', location.href);
  var MAX = 50;		/* hits shown */
  var RANK = 200;	/* candidates whose text is read for phrases … */
  var RANK_CHUNKS = 6;	/* … from at most this many chunks of search/d/ */
  var BEFORE = 24;	/* characters of a snippet before the first match */
  var SNIP = 96;	/* characters of a snippet */
  var KIND = ['正文', '正文', '案例', '附表'];
  var B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  var utf8 = new TextEncoder();
  var meta = null, loading = null, files = {}, seq = 0;
  var timer = 0, baseTitle = document.title;

  if (nojs) nojs.hidden = true;

  /* The tokenizer of search.c, code point for code point. */
  function fold(cp) {
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;
    if (cp >= 65 && cp <= 90) cp += 32;
    return cp;
  }
  function isHan(cp) {
    return cp === 0x3007 || (cp >= 0x3400 && cp <= 0x4DBF) ||
      (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
      (cp >= 0x20000 && cp <= 0x2FA1F);
  }
  function isWord(cp) {
    return (cp >= 48 && cp <= 57) || (cp >= 97 && cp <= 122);
  }
  function foldText(s) {
    var out = '';
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      out += (c >= 0xFF01 && c <= 0xFF5E) || (c >= 65 && c <= 90) ?
        String.fromCharCode(fold(c)) : s.charAt(i);
    }
    return out;
  }

  /* Terms are the runs of Han characters, letters and digits; a term's
   * tokens are its bigrams (or its one character) and its words. */
  function parse(q) {
    var terms = [], cur = null, han = [], word = '';
    function flushHan() {
      if (han.length === 1) cur.tokens.push({ han: han[0], next: '' });
      for (var i = 0; i + 1 < han.length; i++)
        cur.tokens.push({ han: han[i], next: han[i + 1] });
      han = [];
    }
    function flushWord() {
      if (word) cur.tokens.push({ word: word });
      word = '';
    }
    for (var ch of q) {
      var cp = fold(ch.codePointAt(0)), c = String.fromCodePoint(cp);
      if (isHan(cp) || isWord(cp)) {
        if (!cur) { cur = { text: '', tokens: [] }; terms.push(cur); }
        cur.text += c;
        if (isHan(cp)) { flushWord(); han.push(c); }
        else { flushHan(); word += c; }
      } else if (cur) {
        flushHan(); flushWord(); cur = null;
      }
    }
    if (cur) { flushHan(); flushWord(); }
    return terms;
  }

  /* Postings: gaps as A–Z digits (base 26) ended by one of 0–9 a–z, or
   * "~" and a bitmap, six documents to a base64url character. */
  function decode(s) {
    var out = [], acc = 0, prev = 0, i, c;
    if (s.charAt(0) === '~') {
      for (i = 1; i < s.length; i++) {
        c = B64.indexOf(s.charAt(i));
        for (var j = 0; j < 6; j++)
          if (c & (1 << j)) out.push((i - 1) * 6 + j);
      }
      return out;
    }
    for (i = 0; i < s.length; i++) {
      c = s.charCodeAt(i);
      if (c >= 65 && c <= 90) { acc = acc * 26 + (c - 65); continue; }
      prev += acc * 36 + (c <= 57 ? c - 48 : c - 87);
      out.push(prev);
      acc = 0;
    }
    return out;
  }
  function intersect(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; }
      else if (a[i] < b[j]) i++;
      else j++;
    }
    return out;
  }

  /* File names and the shard of a key, as search.c makes them. */
  function part(dir, i, n) {
    var w = Math.max(2, (n - 1).toString(16).length), h = i.toString(16);
    while (h.length < w) h = '0' + h;
    return new URL(dir + '/' + h + '.json?' + meta.stamp, indexUrl).href;
  }
  function shardOf(key) {
    var b = utf8.encode(key), h = 0x811c9dc5;
    for (var i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 16777619) >>> 0;
    return h % meta.shards;
  }
  function keyOf(tok) {
    return tok.word !== undefined ? tok.word : tok.han + tok.next;
  }

  function get(url) {
    if (!files[url]) {
      if (meta) status.textContent = '正在载入搜索索引…';
      files[url] = fetch(url).then(function (res) {
        if (!res.ok) throw new Error(res.status);
        return res.json();
      }).catch(function (e) {
        delete files[url];
        throw e;
      });
    }
    return files[url];
  }
  function load() {
    if (!loading) {
      status.textContent = '正在载入搜索索引…';
      loading = get(indexUrl.href).then(function (j) {
        meta = j;
        status.textContent = '';
        return j;
      }).catch(function (e) {
        loading = null;
        status.textContent = '搜索索引载入失败（' + e.message + '），请稍后重试。';
        throw e;
      });
    }
    return loading;
  }

  /* Resolves to the terms and the ranked hits, the shown ones with their
   * documents. */
  function search(q) {
    var terms = parse(q), keys = [], shards = {};
    if (!terms.length) return Promise.resolve({ terms: terms, hits: [] });
    terms.forEach(function (t) {
      t.tokens.forEach(function (tok) {
        var k = keyOf(tok), s = shardOf(k);
        keys.push(k);
        shards[s] = get(part('k', s, meta.shards));
      });
    });
    var got = {};
    return Promise.all(Object.keys(shards).map(function (s) {
      return shards[s].then(function (j) { got[s] = j; });
    })).then(function () {
      function postings(set, k) {
        var p = got[shardOf(k)][set][k];
        return typeof p === 'string' ? decode(p) : [];
      }
      var ids = null;
      keys.forEach(function (k) {
        ids = ids === null ? postings('k', k) : intersect(ids, postings('k', k));
      });
      var score = {};
      ids.forEach(function (id) { score[id] = 0; });
      /* A term in the title: all its keys are in the title's. */
      var inTitle = terms.map(function (t) {
        var p = null;
        t.tokens.forEach(function (tok) {
          var q = postings('t', keyOf(tok));
          p = p === null ? q : intersect(p, q);
        });
        var mark = {};
        p.forEach(function (id) { mark[id] = 1; });
        ids.forEach(function (id) { score[id] += mark[id] ? 2 : 1; });
        return mark;
      });
      var hits = ids.map(function (id) { return { id: id, score: score[id] }; });
      hits.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
      /* The first candidates, as far as RANK_CHUNKS chunks hold them. */
      var seen = {}, nseen = 0, ntop = 0;
      while (ntop < hits.length && ntop < RANK) {
        var c = Math.floor(hits[ntop].id / meta.chunk);
        if (!seen[c]) {
          if (nseen === RANK_CHUNKS) break;
          seen[c] = 1;
          nseen++;
        }
        ntop++;
      }
      var top = hits.slice(0, ntop);
      return docsOf(top).then(function () {
        /* Phrases: 4 in the title, 3 in the text, else 2 for keys all
         * in the title, 1 for keys anywhere.  Never less than before, so
         * the candidates stay above the rest. */
        top.forEach(function (h) {
          var title = foldText(h.doc[2]), text = foldText(h.doc[6] || h.doc[5]);
          h.score = 0;
          terms.forEach(function (t, i) {
            h.score += title.indexOf(t.text) >= 0 ? 4 :
              text.indexOf(t.text) >= 0 ? 3 : inTitle[i][h.id] ? 2 : 1;
          });
        });
        top.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
        hits = top.concat(hits.slice(ntop));
        return docsOf(hits.slice(0, MAX));
      }).then(function () { return { terms: terms, hits: hits }; });
    });
  }

  /* Resolves when every hit of hs has its document (h.doc). */
  function docsOf(hs) {
    var chunks = {};
    hs.forEach(function (h) {
      var c = Math.floor(h.id / meta.chunk);
      if (!chunks[c]) chunks[c] = get(part('d', c, Math.ceil(meta.docs / meta.chunk)));
    });
    return Promise.all(hs.map(function (h) {
      return chunks[Math.floor(h.id / meta.chunk)].then(function (docs) {
        h.doc = docs[h.id % meta.chunk];
      });
    }));
  }

  /* Appends text to el with every needle (folded) wrapped in <mark>. */
  function highlight(el, text, needles) {
    var f = foldText(text), marks = [];
    needles.forEach(function (n) {
      for (var i = f.indexOf(n); n && i >= 0; i = f.indexOf(n, i + 1))
        marks.push([i, i + n.length]);
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var pos = 0, m = null;
    function flush() {
      if (!m) return;
      if (m[0] > pos) el.appendChild(document.createTextNode(text.slice(pos, m[0])));
      var mk = document.createElement('mark');
      mk.textContent = text.slice(m[0], m[1]);
      el.appendChild(mk);
      pos = m[1];
    }
    marks.forEach(function (r) {
      if (m && r[0] <= m[1]) { m[1] = Math.max(m[1], r[1]); return; }
      flush();
      m = r.slice();
    });
    flush();
    if (pos < text.length) el.appendChild(document.createTextNode(text.slice(pos)));
  }

  function needlesOf(terms) {
    var n = [];
    terms.forEach(function (t) {
      n.push(t.text);
      t.tokens.forEach(function (tok) {
        if (tok.word !== undefined) n.push(tok.word);
        else if (tok.next || t.text.length === 1) n.push(tok.han + tok.next);
      });
    });
    return n;
  }

  /* The part of text around its first match: from the start of that
   * sentence when it is near, else BEFORE characters before it, SNIP
   * characters in all, "…" where text was left out.  The first phrase
   * of a term counts before a lone bigram. */
  function passage(text, terms, needles) {
    var f = foldText(text), at = -1;
    function first(list) {
      list.forEach(function (n) {
        var i = n ? f.indexOf(n) : -1;
        if (i >= 0 && (at < 0 || i < at)) at = i;
      });
    }
    first(terms.map(function (t) { return t.text; }));
    if (at < 0) first(needles);
    if (at < 0 || text.length <= SNIP) return text.length <= SNIP ? text : cut(text, 0);
    var from = Math.max(0, at - BEFORE), stop = -1;
    for (var i = at - 1; i >= from; i--)
      if ('。！？；!?;'.indexOf(text.charAt(i)) >= 0) { stop = i + 1; break; }
    if (stop >= 0) from = stop;
    while (from > 0 && text.charAt(from) === ' ') from++;
    if (from > at) from = at;
    return cut(text, from);
  }
  function cut(text, from) {
    /* Not inside a surrogate pair. */
    var low = function (i) {
      var c = text.charCodeAt(i);
      return c >= 0xDC00 && c <= 0xDFFF;
    };
    if (from > 0 && low(from)) from--;
    var to = Math.min(text.length, from + SNIP);
    if (to < text.length && low(to)) to++;
    return (from > 0 ? '…' : '') + text.slice(from, to) + (to < text.length ? '…' : '');
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function show(q, r) {
    var needles = needlesOf(r.terms);
    list.textContent = '';
    document.title = q ? '搜索：' + q + ' · ' + baseTitle.replace(/^[^·]*· /, '') : baseTitle;
    if (!r.terms.length) {
      status.textContent = q ? '请输入中文、字母或数字。' : '';
      return;
    }
    if (!r.hits.length) {
      status.textContent = '没有找到与“' + q + '”相关的内容。可以试试更短的词，或浏览全部案例与报告目录。';
      return;
    }
    status.textContent = '找到 ' + r.hits.length + ' 条结果' +
      (r.hits.length > MAX ? '，显示前 ' + MAX + ' 条。' : '。');
    r.hits.slice(0, MAX).forEach(function (h) {
      var d = h.doc, li = el('li', 'search-hit'), a = el('a');
      a.href = root + d[3];
      highlight(a, d[2], needles);
      var t = el('p', 'hit-title');
      t.appendChild(a);
      var info = el('p', 'hit-meta');
      info.appendChild(el('span', 'hit-kind', KIND[d[0]] || ''));
      info.appendChild(document.createTextNode(
        ' ' + d[1] + ' 年度' + (d[4] ? ' · ' + d[4] : '')));
      li.appendChild(t);
      li.appendChild(info);
      var body = d[6] || d[5];
      if (body) {
        var sn = el('p', 'hit-snippet');
        highlight(sn, d[6] ? passage(d[6], r.terms, needles) : d[5], needles);
        li.appendChild(sn);
      }
      list.appendChild(li);
    });
  }

  function run(q, how) {
    q = q.trim();
    if (how) {
      var url = q ? '?q=' + encodeURIComponent(q) : location.pathname;
      history[how](null, '', url);
    }
    var my = ++seq;
    if (!q) { show('', { terms: [], hits: [] }); return; }
    load().then(function () { return search(q); }).then(function (r) {
      if (my === seq) show(q, r);
    }, function (e) {
      if (my === seq)
        status.textContent = '搜索索引载入失败（' + e.message + '），请稍后重试。';
    });
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    clearTimeout(timer);
    run(input.value, 'pushState');
  });
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(input.value, 'replaceState'); }, 200);
  });
  input.addEventListener('focus', function () { load().catch(function () {}); });
  function fromUrl() {
    var q = new URLSearchParams(location.search).get('q') || '';
    input.value = q;
    run(q);
  }
  window.addEventListener('popstate', fromUrl);
  fromUrl();
})();
