/*
 * search.js: the search page.  Loads search/index.json (written by
 * site-gen's search.c) the first time it is needed, matches the query's
 * character bigrams, single characters and words against it, ranks title
 * hits above body hits and newer years first, and shows the hits with the
 * matches marked.  The query lives in the URL (?q=), so a search can be
 * shared and the back button works.  No dependencies; text is set as DOM
 * text, never as markup.
 */
(function () {
  'use strict';

  var form = document.getElementById('search-form');
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var input = document.getElementById('search-q');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var nojs = document.getElementById('search-nojs');
  var root = form.getAttribute('data-root') || '';
  var indexUrl = form.getAttribute('data-index') || 'index.json';
  var MAX = 50;
  var KIND = ['正文', '正文', '案例', '附表'];
  var index = null, loading = null, groups = {}, folded = [];
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

  /* Postings: gaps as A–Z digits (base 26) ended by one of 0–9 a–z. */
  function decode(s) {
    var out = [], acc = 0, prev = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c >= 65 && c <= 90) { acc = acc * 26 + (c - 65); continue; }
      prev += acc * 36 + (c <= 57 ? c - 48 : c - 87);
      out.push(prev);
      acc = 0;
    }
    return out;
  }
  function group(ch) {
    if (groups[ch]) return groups[ch];
    var g = {}, s = index.han[ch] || '', key = '', start = 0, i = 0;
    while (i < s.length) {
      var cp = s.codePointAt(i), n = cp > 0xFFFF ? 2 : 1;
      if (cp >= 0x80) {
        g[key] = s.slice(start, i);
        key = s.substr(i, n);
        start = i + n;
      }
      i += n;
    }
    g[key] = s.slice(start);
    return (groups[ch] = g);
  }
  function lookup(t) {
    var p = t.word !== undefined ? index.words[t.word] : group(t.han)[t.next];
    return typeof p === 'string' ? decode(p) : [];
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

  function search(q) {
    var terms = parse(q), ids = null, hits = [];
    if (!terms.length) return { terms: terms, hits: hits };
    terms.forEach(function (t) {
      t.tokens.forEach(function (tok) {
        ids = ids === null ? lookup(tok) : intersect(ids, lookup(tok));
      });
    });
    (ids || []).forEach(function (id) {
      var d = index.docs[id], score = 0;
      if (folded[id] === undefined) folded[id] = foldText(d[2]);
      terms.forEach(function (t) {
        score += folded[id].indexOf(t.text) >= 0 ? 2 : 1;
      });
      hits.push({ id: id, doc: d, score: score, rank: d[0] === 2 ? 0 : d[0] === 3 ? 2 : 1 });
    });
    hits.sort(function (a, b) {
      return b.score - a.score || b.doc[1] - a.doc[1] || a.rank - b.rank || a.id - b.id;
    });
    return { terms: terms, hits: hits };
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

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function show(q) {
    var r = search(q), needles = needlesOf(r.terms);
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
      var meta = el('p', 'hit-meta');
      meta.appendChild(el('span', 'hit-kind', KIND[d[0]] || ''));
      meta.appendChild(document.createTextNode(
        ' ' + d[1] + ' 年度' + (d[4] ? ' · ' + d[4] : '')));
      li.appendChild(t);
      li.appendChild(meta);
      if (d[5]) {
        var sn = el('p', 'hit-snippet');
        highlight(sn, d[5], needles);
        li.appendChild(sn);
      }
      list.appendChild(li);
    });
  }

  function load() {
    if (!loading) {
      status.textContent = '正在载入搜索索引…';
      loading = fetch(indexUrl).then(function (res) {
        if (!res.ok) throw new Error(res.status);
        return res.json();
      }).then(function (j) {
        index = j;
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

  function run(q, how) {
    q = q.trim();
    if (how) {
      var url = q ? '?q=' + encodeURIComponent(q) : location.pathname;
      history[how](null, '', url);
    }
    if (!q) { show(''); return; }
    load().then(function () { show(q); }, function () {});
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
