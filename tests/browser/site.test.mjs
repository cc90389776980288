/*
 * Browser tests of a built site (SG_SITE_DIR, made by `make browser-test`
 * from the bundled example) in Debian's Chromium driven by playwright-core:
 * axe-core at WCAG 2.1 A/AA, no horizontal overflow, no console errors, no
 * request leaving 127.0.0.1, touch targets and text size on a phone, and
 * the search and case-filter scripts doing their job; and what a reader of
 * a public report needs on a phone and in search (issue 18): the cover's
 * order, Chinese typography, snippets and phrase ranking, no layout shift,
 * appendix tables as blocks, slim missing figures, folded filters, tel:
 * links, a site icon, headings in order and unique landmarks — at 360,
 * 375 and 1280 px and in the dark scheme.  The site is served by a small
 * static server (serve.mjs) on 127.0.0.1 and an ephemeral port.
 *
 * SG_SHOTS_DIR, when set, receives a screenshot of every page visited.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { serveSite } from './serve.mjs';

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const SITE = path.resolve(process.env.SG_SITE_DIR || 'public');
const SHOTS = process.env.SG_SHOTS_DIR || '';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const PHONE = { width: 375, height: 812 };
const DESKTOP = { width: 1280, height: 800 };
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/* The pages the issue names, plus the other page kinds parents reach. */
const PAGES = [
  ['home', ''],
  ['chapter', '2024/02-talent/'],
  ['case', '2024/cases/1/'],
  ['cases', 'cases/'],
  ['indicators', '2024/indicators/'],
  ['search', 'search/?q=' + encodeURIComponent('家长')],
  ['search-empty', 'search/'],
  ['report', '2024/'],
  ['print', '2024/print/'],
  ['tag', 'cases/tags/' + encodeURIComponent('德育') + '/'],
  ['year', '2024/cases/'],
];
if (fs.existsSync(path.join(SITE, 'indicators', 'index.html')))
  PAGES.push(['indicator-trends', 'indicators/']);

let server, base, browser;

before(async () => {
  assert.ok(fs.existsSync(path.join(SITE, 'index.html')),
    `no built site in ${SITE}: set SG_SITE_DIR`);
  server = await serveSite(SITE);
  base = server.base;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
      '--disable-quic', '--disable-dev-shm-usage'],
  });
  if (SHOTS) fs.mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
});

/*
 * Opens url in a fresh context and records what went wrong around it:
 * console errors, page errors, requests to other hosts (aborted), failed
 * responses; and the bytes of CSS and JS the page loaded.
 */
async function open(url, opts = {}) {
  const viewport = opts.viewport || PHONE;
  const context = await browser.newContext({
    viewport,
    isMobile: viewport.width < 600,
    hasTouch: viewport.width < 600,
    javaScriptEnabled: opts.js !== false,
    colorScheme: opts.scheme || 'light',
    reducedMotion: opts.motion || 'no-preference',
    serviceWorkers: 'block',
  });
  const log = { errors: [], offsite: [], failed: [], assets: 0 };
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.protocol === 'data:' || u.protocol === 'blob:' ||
        u.hostname === '127.0.0.1') return route.continue();
    log.offsite.push(u.href);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') log.errors.push(m.text());
  });
  page.on('pageerror', (e) => log.errors.push(String(e)));
  page.on('response', (r) => {
    if (r.status() >= 400) log.failed.push(`${r.status()} ${r.url()}`);
    const t = r.request().resourceType();
    if (t === 'stylesheet' || t === 'script') {
      const f = path.join(SITE, decodeURIComponent(new URL(r.url()).pathname));
      if (fs.existsSync(f)) log.assets += fs.statSync(f).size;
    }
  });
  await page.goto(base + url, { waitUntil: 'load' });
  return { context, page, log };
}

function clean(log) {
  assert.deepEqual(log.errors, [], 'console errors');
  assert.deepEqual(log.offsite, [], 'requests to other hosts');
  assert.deepEqual(log.failed, [], 'failed requests');
}

/* axe-core's violations as readable lines; what it could not decide
 * ("incomplete", e.g. contrast over a gradient) goes to t.diagnostic. */
async function axe(page, t) {
  await page.evaluate(AXE);
  const r = await page.evaluate((tags) => window.axe.run(document, {
    runOnly: { type: 'tag', values: tags },
  }), WCAG);
  /* Contrast inside table boxes is undecided because of their scroll
   * shadows (background gradients): check it again without them. */
  if (r.incomplete.some((v) => v.id === 'color-contrast')) {
    const again = await page.evaluate(() => {
      for (const e of document.querySelectorAll('.table-scroll'))
        e.style.backgroundImage = 'none';
      return window.axe.run(document, { runOnly: ['color-contrast'] });
    });
    r.violations.push(...again.violations);
    r.incomplete = r.incomplete.filter((v) => v.id !== 'color-contrast')
      .concat(again.incomplete);
    r.passes.push(...again.passes.map((v) => ({ ...v, id: v.id + ' (tables)' })));
  }
  if (t) {
    t.diagnostic(`axe: ${r.passes.length} rules passed, ` +
      `${r.violations.length} violated, incomplete: ` +
      (r.incomplete.map((v) => `${v.id}×${v.nodes.length}`).join(' ') || 'none'));
  }
  return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ` +
    v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', '));
}

async function overflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth -
    document.documentElement.clientWidth);
}

async function settle(page, name) {
  if (name.startsWith('search') && page.url().includes('?q='))
    await page.waitForSelector('#search-results li');
}

for (const [name, url] of PAGES) {
  for (const vp of [PHONE, DESKTOP]) {
    test(`${name} at ${vp.width}px: axe WCAG 2.1 AA, no overflow, clean log`,
      { timeout: 60_000 }, async (t) => {
        const { context, page, log } = await open(url, { viewport: vp });
        try {
          await settle(page, name);
          assert.deepEqual(await axe(page, t), [], 'axe-core violations');
          assert.ok(await overflow(page) <= 0, 'page scrolls sideways');
          clean(log);
          t.diagnostic(`css+js bytes: ${log.assets}`);
          assert.ok(log.assets < 48 * 1024, `CSS+JS ${log.assets} bytes`);
          if (SHOTS)
            await page.screenshot({ path: path.join(SHOTS,
              `${name}-${vp.width}.png`), fullPage: vp === PHONE });
        } finally {
          await context.close();
        }
      });
  }
}

test('dark scheme at 375px: axe colour contrast holds on every page',
  { timeout: 240_000 }, async () => {
  for (const [name, url] of PAGES) {
    const { context, page, log } = await open(url, { scheme: 'dark' });
    try {
      await settle(page, name);
      const bg = await page.evaluate(() =>
        getComputedStyle(document.body).backgroundColor);
      assert.notEqual(bg, 'rgb(255, 255, 255)', `${name}: dark background`);
      assert.deepEqual(await axe(page), [], `${name}: axe in dark mode`);
      clean(log);
      if (SHOTS && (name === 'chapter' || name === 'search'))
        await page.screenshot({ path: path.join(SHOTS, `${name}-375-dark.png`) });
    } finally {
      await context.close();
    }
  }
});

test('at 360px: 16px text, 44px touch targets, tables scroll in their box',
  { timeout: 240_000 }, async () => {
  const narrow = { width: 360, height: 740 };
  for (const [name, url] of PAGES) {
    const { context, page, log } = await open(url, { viewport: narrow });
    try {
      await settle(page, name);
      assert.ok(await overflow(page) <= 0, `${name}: page scrolls sideways`);
      const m = await page.evaluate(() => {
        const small = [];
        const px = (e) => parseFloat(getComputedStyle(e).fontSize);
        for (const e of document.querySelectorAll('main p, main li, main td, main th'))
          if (e.offsetParent && e.textContent.trim() && px(e) < 16 &&
              !e.closest('.dir, .hit-kind'))
            small.push(`${e.tagName}.${e.className} ${px(e)}px`);
        const lh = parseFloat(getComputedStyle(document.body).lineHeight) /
          px(document.body);
        const targets = [];
        const sel = '.site-nav a, .brand, .crumbs a, .tags a, .pager a, ' +
          '.actions a, .table-download a, .toc a, .ref-list a, .notice a, ' +
          '.hit-title a, .search-row input, .search-row button, .page-toc summary, ' +
          '.toc-more > summary, .list-more > summary, .filter-fold > summary, .site-footer .tel';
        for (const e of document.querySelectorAll(sel)) {
          const r = e.getBoundingClientRect();
          if (r.width && r.height < 44)
            targets.push(`${e.tagName}.${e.className} "${e.textContent.trim().slice(0, 12)}" ${r.height}px`);
        }
        const boxes = [];
        for (const e of document.querySelectorAll('.table-scroll, figure, img')) {
          const r = e.getBoundingClientRect();
          if (r.right > document.documentElement.clientWidth + 0.5)
            boxes.push(`${e.tagName}.${e.className} right=${r.right}`);
        }
        return { small, lh, targets, boxes, body: px(document.body) };
      });
      assert.ok(m.body >= 16, `${name}: body text ${m.body}px`);
      assert.ok(m.lh >= 1.6, `${name}: body line-height ${m.lh}`);
      assert.deepEqual(m.small.slice(0, 5), [], `${name}: text under 16px`);
      assert.deepEqual(m.targets.slice(0, 5), [], `${name}: touch targets under 44px`);
      assert.deepEqual(m.boxes, [], `${name}: tables or figures wider than the screen`);
      clean(log);
    } finally {
      await context.close();
    }
  }
});

test('wide tables scroll inside their own box on a phone',
  { timeout: 90_000 }, async () => {
  for (const url of ['2024/02-talent/', 'indicators/']) {
    const { context, page } = await open(url);
    try {
      const r = await page.evaluate(() => [...document.querySelectorAll('.table-scroll')]
        .map((e) => ({ scroll: e.scrollWidth, client: e.clientWidth,
          overflow: getComputedStyle(e).overflowX })));
      assert.ok(r.length > 0, `${url}: tables have scroll boxes`);
      assert.ok(r.some((x) => x.scroll > x.client), `${url}: some table is wider than its box`);
      assert.ok(r.every((x) => x.overflow === 'auto'), `${url}: boxes scroll`);
      assert.ok(await overflow(page) <= 0, `${url}: page itself does not scroll sideways`);
    } finally {
      await context.close();
    }
  }
});

test('reduced motion turns off smooth scrolling and transitions',
  { timeout: 90_000 }, async () => {
  for (const motion of ['no-preference', 'reduce']) {
    const { context, page } = await open('', { motion });
    try {
      const s = await page.evaluate(() => [
        getComputedStyle(document.documentElement).scrollBehavior,
        getComputedStyle(document.querySelector('.site-nav a')).transitionDuration]);
      if (motion === 'reduce') assert.deepEqual(s, ['auto', '0s']);
      else assert.equal(s[0], 'smooth');
    } finally {
      await context.close();
    }
  }
});

async function hits(page) {
  await page.waitForSelector('#search-results li');
  return page.$$eval('#search-results li', (lis) => lis.map((li) => ({
    title: li.querySelector('.hit-title').textContent,
    href: li.querySelector('a').getAttribute('href'),
    marks: li.querySelectorAll('mark').length,
  })));
}

test('search 禁毒 from the URL: the 禁毒 case first, matches marked',
  { timeout: 90_000 }, async () => {
  const { context, page, log } = await open('search/?q=' + encodeURIComponent('禁毒'));
  try {
    const h = await hits(page);
    assert.match(h[0].title, /禁毒/);
    assert.ok(h[0].href.endsWith('2024/cases/1/'), h[0].href);
    assert.ok(h[0].marks > 0, 'title match marked');
    assert.ok(h.length > 1, 'body hits listed too');
    /* Title hits come before body hits. */
    const firstBody = h.findIndex((x) => !x.title.includes('禁毒'));
    assert.ok(h.slice(firstBody).every((x) => !x.title.includes('禁毒')));
    assert.equal(await page.inputValue('#search-q'), '禁毒');
    assert.ok(await page.isHidden('#search-nojs'));
    await page.click('#search-results li a');
    await page.waitForURL(/2024\/cases\/1\/$/);
    clean(log);
  } finally {
    await context.close();
  }
});

test('search 家长 finds the 智慧家长沙龙 case; typing updates the URL',
  { timeout: 90_000 }, async () => {
  const { context, page, log } = await open('search/');
  try {
    await page.fill('#search-q', '家长');
    await page.press('#search-q', 'Enter');
    const h = await hits(page);
    assert.ok(h.some((x) => x.title.includes('智慧家长沙龙') &&
      x.href.endsWith('2024/cases/2/')), JSON.stringify(h.slice(0, 5)));
    assert.match(decodeURIComponent(page.url()), /\?q=家长$/);
    await page.fill('#search-q', '家长沙龙');
    await page.press('#search-q', 'Enter');
    await page.waitForFunction(() => document.querySelector('#search-results a')
      ?.textContent.includes('智慧家长沙龙'));
    const h2 = await hits(page);
    assert.ok(h2[0].title.includes('智慧家长沙龙'));
    await page.goBack();
    await page.waitForFunction(() => document.getElementById('search-q').value === '家长');
    const status = await page.textContent('#search-status');
    assert.match(status, /找到 \d+ 条结果/);
    clean(log);
  } finally {
    await context.close();
  }
});

test('search: one character, Latin words, indicators, nothing found',
  { timeout: 90_000 }, async () => {
  const { context, page, log } = await open('search/');
  try {
    const run = async (q) => {
      await page.fill('#search-q', q);
      await page.press('#search-q', 'Enter');
      await page.waitForFunction((q) => document.title.includes(q) &&
        document.getElementById('search-status').textContent.length > 0, q);
      return page.$$eval('#search-results li', (lis) => lis.map((li) => ({
        title: li.querySelector('.hit-title').textContent,
        meta: li.querySelector('.hit-meta').textContent,
      })));
    };
    assert.ok((await run('毒')).some((x) => x.title.includes('禁毒')));
    assert.ok((await run('ai')).some((x) => /AI/.test(x.title)));
    assert.ok((await run('ＡＩ 绘画')).some((x) => /AI/.test(x.title)), 'full-width folded');
    const ind = await run('毕业生人数');
    assert.ok(ind.some((x) => x.meta.includes('附表')), 'indicator names found');
    assert.deepEqual(await run('量子引力'), []);
    assert.match(await page.textContent('#search-status'), /没有找到/);
    clean(log);
  } finally {
    await context.close();
  }
});

test('search page without JavaScript explains and links to the contents',
  { timeout: 90_000 }, async () => {
  const { context, page, log } = await open('search/?q=x', { js: false });
  try {
    assert.ok(await page.isVisible('#search-nojs'));
    const links = await page.$$eval('#search-nojs a', (a) => a.map((x) => x.href));
    assert.ok(links.some((h) => h.endsWith('/2024/')), links.join(' '));
    assert.ok(links.some((h) => h.endsWith('/cases/')), links.join(' '));
    clean(log);
  } finally {
    await context.close();
  }
});

async function visibleCards(page) {
  return page.$$eval('.case-card', (cards) => cards.filter((c) => !c.hidden)
    .map((c) => ({
      year: c.getAttribute('data-year'),
      tags: [...c.querySelectorAll('.tags a')].map((a) => a.textContent),
    })));
}

test('cases: tag and year filters work in place and as plain pages',
  { timeout: 90_000 }, async () => {
  const tag = '家校共育';
  /* Without JavaScript the tag page is the filter. */
  const plain = await open('cases/tags/' + encodeURIComponent(tag) + '/', { js: false });
  const want = await visibleCards(plain.page);
  await plain.context.close();
  assert.ok(want.length > 0 && want.every((c) => c.tags.includes(tag)));

  const { context, page, log } = await open('cases/');
  try {
    const all = await visibleCards(page);
    assert.ok(all.length > want.length);
    /* More than eight topics: they are folded under one control. */
    await page.click('.filter-fold > summary');
    await page.click(`.case-filter a[data-tag="${tag}"]`);
    assert.equal(await page.textContent('.filter-fold .filter-now'), tag);
    assert.equal(await page.$eval('.filter-fold', (d) => d.open), false,
      'the fold closes on a choice');
    const shown = await visibleCards(page);
    assert.equal(shown.length, want.length);
    assert.ok(shown.every((c) => c.tags.includes(tag)), 'only that tag');
    assert.match(decodeURIComponent(page.url()), new RegExp(`\\?tag=${tag}$`));
    assert.equal(await page.getAttribute(`.case-filter a[data-tag="${tag}"]`,
      'aria-current'), 'true');
    assert.match(await page.textContent('#case-count'), new RegExp(`共 ${want.length} 个案例`));
    await page.click('.case-filter a[data-year="2024"]');
    assert.ok((await visibleCards(page)).every((c) => c.year === '2024' &&
      c.tags.includes(tag)));
    await page.click('.filter-fold > summary');
    await page.click('.case-filter a[data-tag=""]');
    assert.equal((await visibleCards(page)).length,
      all.filter((c) => c.year === '2024').length);
    /* A filtered URL opens filtered. */
    await page.goto(base + 'cases/?tag=' + encodeURIComponent('禁毒教育'));
    const jd = await visibleCards(page);
    assert.ok(jd.length >= 1 && jd.every((c) => c.tags.includes('禁毒教育')));
    clean(log);
  } finally {
    await context.close();
  }

  const year = await open('2024/cases/', { js: false });
  try {
    const cards = await visibleCards(year.page);
    assert.ok(cards.length > 0 && cards.every((c) => c.year === '2024'));
    assert.equal(await year.page.getAttribute('.case-filter a[data-year="2024"]',
      'aria-current'), 'page');
  } finally {
    await year.context.close();
  }
});

test('a case links to its chapter, the next case and related cases',
  { timeout: 90_000 }, async () => {
  const { context, page, log } = await open('2024/cases/1/');
  try {
    const chapter = await page.$$eval('.kicker a', (a) => a.map((x) => x.href));
    assert.ok(chapter.some((h) => /\/2024\/\d\d-[a-z-]+\/$/.test(h)), chapter.join(' '));
    assert.match(await page.getAttribute('.pager .next', 'href'), /\.\.\/2\/$/);
    const related = await page.$$eval('.related a', (a) => a.map((x) => x.textContent));
    assert.ok(related.length > 0);
    clean(log);
  } finally {
    await context.close();
  }
});

/* ---- issue 18: the finish of a public report, on a phone and in search ---- */

const NARROW = { width: 360, height: 740 };
/* Each point is proved at these widths, and on a phone in the dark scheme. */
const LOOKS = [
  { name: '360', viewport: NARROW },
  { name: '375', viewport: PHONE },
  { name: '1280', viewport: DESKTOP },
  { name: '375-dark', viewport: PHONE, scheme: 'dark' },
];

async function eachLook(url, fn) {
  for (const look of LOOKS) {
    const { context, page, log } = await open(url, look);
    try {
      await settle(page, url.startsWith('search') ? 'search' : '');
      await fn(page, look, log);
      clean(log);
    } finally {
      await context.close();
    }
  }
}

test('cover: title, date and contents first, statement and preface after, a jump to the contents',
  { timeout: 120_000 }, async () => {
  await eachLook('2024/', async (page, look) => {
    const top = (sel) => page.$eval(sel, (e) => e.getBoundingClientRect().top + scrollY);
    const h1 = await top('h1'), date = await top('.cover time');
    const toc = await top('#toc-h'), st = await top('#statement-h'), pre = await top('#preface-h');
    assert.ok(h1 < date && date < toc, `${look.name}: title, date, contents`);
    assert.ok(toc < st && st < pre, `${look.name}: contents before statement and preface`);
    for (const sel of ['#cases-h', '#figs-h', '#tbls-h'])
      assert.ok(await top(sel) < st, `${look.name}: ${sel} before the statement`);
    /* The contents start on the first screen, and the jump is above them. */
    assert.ok(toc < look.viewport.height, `${look.name}: contents at ${toc}px`);
    assert.ok(await top('.cover a[href="#toc-h"]') < toc);
    /* Sections and the lists are folded. */
    const folds = await page.$$eval('.toc details, .lists details', (d) => d.map((x) => x.open));
    assert.ok(folds.length >= 8 + 3 && folds.every((o) => !o), `${look.name}: folded`);
    assert.equal(await page.isVisible('.toc-sections a'), false);
    await page.click('.toc-more > summary');
    assert.ok(await page.isVisible('.toc-sections a'), 'a chapter opens onto its sections');
    await page.click('.cover a[href="#toc-h"]');
    await page.waitForFunction(() => Math.abs(document.getElementById('toc-h')
      .getBoundingClientRect().top) < 40);
  });
});

test('typography: justified text, no line starting with closing punctuation, CJK quotes, values without stray spaces, 18.1:1',
  { timeout: 120_000 }, async () => {
  await eachLook('2024/02-talent/', async (page, look) => {
    const m = await page.evaluate(() => {
      const p = document.querySelector('.prose p');
      const cs = getComputedStyle(p);
      /* The first line-start character of each line of the first paragraphs. */
      const bad = [];
      const NO_START = '，。、；：？！」）』》〉”’';
      for (const el of [...document.querySelectorAll('.prose p')].slice(0, 40)) {
        let lastTop = null;
        const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let n = walk.nextNode(); n; n = walk.nextNode())
          for (let i = 0; i < n.data.length; i++) {
            const r = document.createRange();
            r.setStart(n, i);
            r.setEnd(n, i + 1);
            const rect = r.getClientRects()[0];
            if (!rect) continue;
            if (lastTop !== null && rect.top > lastTop + 4 && NO_START.includes(n.data[i]))
              bad.push(n.data.slice(Math.max(0, i - 3), i + 2));
            if (lastTop === null || rect.top > lastTop + 4) lastTop = rect.top;
          }
      }
      /* A quote's width: full-width from the CJK font, not a narrow Latin one. */
      const q = [...document.querySelectorAll('.prose p')].find((e) => e.textContent.includes('“'));
      const t = [...q.childNodes].find((n) => n.nodeType === 3 && n.data.includes('“'));
      const r = document.createRange();
      r.setStart(t, t.data.indexOf('“'));
      r.setEnd(t, t.data.indexOf('“') + 1);
      return { align: cs.textAlign, lineBreak: cs.lineBreak, bad,
        quote: r.getBoundingClientRect().width / parseFloat(cs.fontSize) };
    });
    assert.equal(m.align, 'justify', look.name);
    assert.equal(m.lineBreak, 'strict', look.name);
    assert.deepEqual(m.bad, [], `${look.name}: lines starting with closing punctuation`);
    assert.ok(m.quote > 0.8, `${look.name}: “ is ${m.quote.toFixed(2)}em wide`);
  });
  /* The theme's own words too: the legend of the appendix tables. */
  await eachLook('2024/indicators/', async (page, look) => {
    const bad = await page.$$eval('.ind-legend li', (lis) => {
      const out = [];
      for (const el of lis) {
        let lastTop = null;
        const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let n = walk.nextNode(); n; n = walk.nextNode())
          for (let i = 0; i < n.data.length; i++) {
            const r = document.createRange();
            r.setStart(n, i);
            r.setEnd(n, i + 1);
            const rect = r.getClientRects()[0];
            if (!rect) continue;
            if (lastTop !== null && rect.top > lastTop + 4 && '，。、；：？！）”'.includes(n.data[i]))
              out.push(n.data.slice(Math.max(0, i - 3), i + 2));
            if (lastTop === null || rect.top > lastTop + 4) lastTop = rect.top;
          }
      }
      return out;
    });
    assert.deepEqual(bad, [], `${look.name}: legend lines starting with closing punctuation`);
  });
  const home = await open('');
  try {
    const note = await home.page.$$eval('.fig-note', (e) => e.map((x) => x.textContent));
    assert.ok(note.length > 0 && note.every((x) => /^按\S.*\S计算$/.test(x)), note.join(' | '));
    const ratio = await home.page.$$eval('.fig', (f) => f.filter((x) =>
      x.querySelector('.fig-label').textContent === '生师比')
      .map((x) => x.querySelector('.fig-value').textContent.trim()));
    assert.deepEqual(ratio, ['18.1:1']);
  } finally {
    await home.context.close();
  }
  const cover = await open('2024/');
  try {
    assert.match(await cover.page.textContent('.statement p'),
      /^学校对乐清市总工会职业技术学校质量年度报告（2024）/);
  } finally {
    await cover.context.close();
  }
});

/* Title and snippet of each hit, with the text of its marks. */
async function hitTexts(page) {
  await page.waitForSelector('#search-results li');
  return page.$$eval('#search-results li', (lis) => lis.map((li) => ({
    title: li.querySelector('.hit-title').textContent,
    snippet: (li.querySelector('.hit-snippet') || { textContent: '' }).textContent,
    marks: [...li.querySelectorAll('mark')].map((m) => m.textContent),
  })));
}

test('search: every snippet shows its match, marked; phrases rank above scattered bigrams',
  { timeout: 120_000 }, async () => {
  const { context, page, log } = await open('search/');
  try {
    for (const q of ['家长', '就业率']) {
      await page.fill('#search-q', q);
      await page.press('#search-q', 'Enter');
      await page.waitForFunction((q) => document.title.includes(q), q);
      const h = await hitTexts(page);
      assert.ok(h.length >= 3, `${q}: ${h.length} hits`);
      for (const x of h) {
        assert.ok((x.title + x.snippet).includes(q), `${q}: not shown in ${JSON.stringify(x)}`);
        assert.ok(x.marks.some((m) => m.includes(q)), `${q}: not marked in ${x.title}`);
      }
      /* A match deep in a text: the snippet starts near it, not at the start. */
      if (q === '家长')
        assert.ok(h.some((x) => x.snippet.startsWith('…')), 'a passage from inside a text');
    }
    /* 职业技能: 8 documents hold the phrase, 12 only its bigrams apart. */
    await page.fill('#search-q', '职业技能');
    await page.press('#search-q', 'Enter');
    await page.waitForFunction(() => document.title.includes('职业技能'));
    const h = await hitTexts(page);
    const phrase = h.map((x) => (x.title + x.snippet).includes('职业技能'));
    const firstScattered = phrase.indexOf(false);
    assert.ok(firstScattered > 0, JSON.stringify(phrase));
    assert.ok(phrase.slice(firstScattered).every((p) => !p),
      `phrase hits after scattered ones: ${JSON.stringify(phrase)}`);
    /* Scattered hits still mark each bigram they show. */
    const scattered = h[firstScattered];
    assert.ok(scattered.marks.length > 0, JSON.stringify(scattered));
    clean(log);
  } finally {
    await context.close();
  }
});

test('search: the page keeps its layout while results load (CLS under 0.1)',
  { timeout: 120_000 }, async () => {
  for (const look of LOOKS) {
    const context = await browser.newContext({ viewport: look.viewport,
      isMobile: look.viewport.width < 600, colorScheme: look.scheme || 'light' });
    try {
      await context.addInitScript(() => {
        window.__cls = 0;
        new PerformanceObserver((l) => {
          for (const e of l.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
        }).observe({ type: 'layout-shift', buffered: true });
      });
      /* Slow the index down, as on a phone, so that results come late. */
      await context.route('**/search/**/*.json*', async (route) => {
        await new Promise((ok) => setTimeout(ok, 300));
        return route.continue();
      });
      const page = await context.newPage();
      const footer0 = [];
      await page.goto(base + 'search/?q=' + encodeURIComponent('家长'));
      footer0.push(await page.$eval('.site-footer', (e) => e.getBoundingClientRect().top));
      await page.waitForSelector('#search-results li');
      await page.waitForTimeout(300);
      const cls = await page.evaluate(() => window.__cls);
      assert.ok(cls < 0.1, `${look.name}: CLS ${cls}`);
      assert.ok(footer0[0] >= look.viewport.height, `${look.name}: footer starts off screen`);
    } finally {
      await context.close();
    }
  }
});

test('appendix tables: blocks on a phone, a table on a desktop; labelled charts; one colour for this year',
  { timeout: 120_000 }, async () => {
  await eachLook('2024/indicators/', async (page, look) => {
    const m = await page.evaluate(() => {
      const rgb = (c) => c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
      const tables = [...document.querySelectorAll('.ind-table')];
      const boxes = tables.map((t) => t.closest('.table-scroll'));
      const row = tables[0].querySelector('tbody tr');
      const cells = [...row.children].filter((c) => getComputedStyle(c).display !== 'none');
      const vw = document.documentElement.clientWidth;
      const core = document.querySelector('.core-end');
      const svg = document.querySelector('svg.chart-spark');
      const mark = svg.querySelector('.bar-mark'), other = svg.querySelector('.bar:not(.bar-mark)');
      return {
        display: getComputedStyle(tables[0]).display,
        theadShown: tables[0].querySelector('thead').getBoundingClientRect().height > 2,
        scrolls: boxes.filter((b) => b.scrollWidth > b.clientWidth + 1).length,
        outside: cells.filter((c) => c.getBoundingClientRect().right > vw + 0.5).length,
        labels: cells.slice(1).map((c) => getComputedStyle(c, '::before').content),
        coreLines: core.getClientRects().length,
        coreTop: core.getBoundingClientRect().top,
        coreMarkTop: core.querySelector('.core').getBoundingClientRect().top,
        years: [...svg.querySelectorAll('text.year')].map((t) => t.textContent),
        markYear: svg.querySelector('text.year-mark').textContent,
        now: rgb(getComputedStyle(mark).color),
        past: rgb(getComputedStyle(other).color),
        nowText: rgb(getComputedStyle(svg.querySelector('text.year-mark')).fill),
        swatch: rgb(getComputedStyle(document.querySelector('.swatch.now')).backgroundColor),
        legend: document.querySelector('.ind-legend').textContent,
        ratio: [...document.querySelectorAll('tbody th')].filter((th) =>
          th.textContent.startsWith('生师比'))[0].parentElement.querySelectorAll('td.n')[1].textContent,
      };
    });
    const phone = look.viewport.width < 600;
    assert.equal(m.display, phone ? 'block' : 'table', look.name);
    assert.equal(m.theadShown, !phone, `${look.name}: header row`);
    if (phone) {
      assert.equal(m.scrolls, 0, `${look.name}: a table scrolls sideways`);
      assert.equal(m.outside, 0, `${look.name}: cells off screen`);
      assert.deepEqual(m.labels, ['"单位"', '"2023 年"', '"2024 年"', '"较上年"', '"历年趋势"'],
        `${look.name}: each value under its column's name`);
    }
    assert.equal(m.coreLines, 1, `${look.name}: the core mark alone on a line`);
    assert.ok(Math.abs(m.coreTop - m.coreMarkTop) < 12, look.name);
    assert.deepEqual(m.years, ['2023', '2024'], `${look.name}: chart labels`);
    assert.equal(m.markYear, '2024');
    /* This year: red, the same colour as its label and the legend's swatch,
     * in both schemes; the other years grey. */
    const red = (c) => c[0] > c[1] + 60 && c[0] > c[2] + 60;
    const grey = (c) => Math.max(...c) - Math.min(...c) < 30;
    assert.ok(red(m.now), `${look.name}: this year's bar ${m.now}`);
    assert.deepEqual(m.nowText, m.now);
    assert.deepEqual(m.swatch, m.now);
    assert.ok(grey(m.past), `${look.name}: other years ${m.past}`);
    assert.match(m.legend, /本年度的柱和年份为红色/);
    assert.match(m.legend, /往年为灰色/);
    assert.doesNotMatch(m.legend, /深色柱/);
    assert.equal(m.ratio, '18.1:1');
  });
});

test('missing image: a slim caption line; many topics fold into one control',
  { timeout: 120_000 }, async () => {
  await eachLook('2024/02-talent/', async (page, look) => {
    const f = await page.$eval('figure.figure-missing', (e) => ({
      h: e.getBoundingClientRect().height,
      lh: parseFloat(getComputedStyle(e.querySelector('figcaption')).lineHeight),
      border: getComputedStyle(e).borderTopStyle,
      after: getComputedStyle(e.querySelector('figcaption'), '::after').content,
      text: e.querySelector('figcaption').textContent,
    }));
    assert.ok(f.h < 3.5 * f.lh, `${look.name}: ${f.h}px for a missing image`);
    assert.notEqual(f.border, 'none');
    assert.match(f.after, /图片缺失/);
    assert.match(f.text, /^图 2-\d+ \S/);
  });
  await eachLook('cases/', async (page, look) => {
    const m = await page.evaluate(() => ({
      pills: document.querySelectorAll('.case-filter a[data-tag]').length,
      fold: !!document.querySelector('details.filter-fold:not([open])'),
      visiblePills: [...document.querySelectorAll('.case-filter a[data-tag]')]
        .filter((a) => a.checkVisibility()).length,
      card: document.querySelector('.case-card').getBoundingClientRect().top,
    }));
    assert.ok(m.pills > 9, `${m.pills} topics`);
    assert.ok(m.fold, `${look.name}: more than eight topics fold`);
    assert.equal(m.visiblePills, 0);
    assert.ok(m.card < look.viewport.height, `${look.name}: first case at ${m.card}px`);
  });
});

test('tel: and mailto: links, a site icon, headings in order, unique landmarks on every page',
  { timeout: 180_000 }, async () => {
  for (const [name, url] of PAGES) {
    for (const look of [LOOKS[1]]) {
      const { context, page, log } = await open(url, look);
      try {
        await settle(page, name);
        const m = await page.evaluate(() => ({
          tel: [...document.querySelectorAll('.site-footer a[href^="tel:"]')]
            .map((a) => [a.getAttribute('href'), a.textContent]),
          mail: document.querySelectorAll('.site-footer a[href^="mailto:"]').length,
          icon: document.querySelector('link[rel="icon"]')?.getAttribute('href'),
          heads: [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
            .filter((h) => h.getClientRects().length || h.closest('details'))
            .map((h) => Number(h.tagName[1])),
        }));
        assert.equal(m.tel.length, 4, `${name}: tel links`);
        for (const [href, text] of m.tel) assert.equal(href, 'tel:' + text);
        assert.equal(m.mail, 1, `${name}: mailto`);
        assert.ok(m.icon, `${name}: icon link`);
        assert.equal(m.heads.filter((l) => l === 1).length, 1, `${name}: one h1`);
        m.heads.forEach((l, i) => assert.ok(i === 0 || l <= m.heads[i - 1] + 1,
          `${name}: h${l} after h${m.heads[i - 1]}`));
        await page.evaluate(AXE);
        const r = await page.evaluate(() => window.axe.run(document, {
          runOnly: ['landmark-unique', 'heading-order', 'landmark-one-main',
            'page-has-heading-one', 'landmark-no-duplicate-banner',
            'landmark-no-duplicate-contentinfo', 'duplicate-id-aria'] }));
        assert.deepEqual(r.violations.map((v) => `${v.id}: ` +
          v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')), [], name);
        clean(log);
      } finally {
        await context.close();
      }
    }
  }
});

test('breadcrumbs: whole titles on a desktop', { timeout: 60_000 }, async () => {
  const { context, page, log } = await open('2024/cases/2/', { viewport: DESKTOP });
  try {
    const cut = await page.$$eval('.crumbs li', (li) => li
      .filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent));
    assert.deepEqual(cut, []);
    clean(log);
  } finally {
    await context.close();
  }
});
