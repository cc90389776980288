/*
 * Browser tests of a built site (SG_SITE_DIR, made by `make browser-test`
 * from the bundled example) in Debian's Chromium driven by playwright-core:
 * axe-core at WCAG 2.1 A/AA, no horizontal overflow, no console errors, no
 * request leaving 127.0.0.1, touch targets and text size on a phone, and
 * the search and case-filter scripts doing their job.  The site is served
 * by a small static server on 127.0.0.1 and an ephemeral port.
 *
 * SG_SHOTS_DIR, when set, receives a screenshot of every page visited.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

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

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.json': 'application/json',
  '.xml': 'application/xml', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif',
  '.webp': 'image/webp', '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

let server, base, browser;

function serve(req, res) {
  let rel;
  try {
    rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  } catch {
    res.writeHead(400).end();
    return;
  }
  let file = path.join(SITE, path.normalize(rel));
  if (!file.startsWith(SITE)) {
    res.writeHead(403).end();
    return;
  }
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
    if (!rel.endsWith('/')) {
      res.writeHead(301, { Location: rel + '/' }).end();
      return;
    }
    file = path.join(file, 'index.html');
  }
  let status = 200;
  if (!fs.existsSync(file)) {
    status = 404;
    file = path.join(SITE, '404.html');
  }
  res.writeHead(status, {
    'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream',
  });
  fs.createReadStream(file).pipe(res);
}

before(async () => {
  assert.ok(fs.existsSync(path.join(SITE, 'index.html')),
    `no built site in ${SITE}: set SG_SITE_DIR`);
  server = http.createServer(serve);
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${server.address().port}/`;
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
  if (server) await new Promise((ok) => server.close(ok));
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
  { timeout: 90_000 }, async () => {
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
  { timeout: 90_000 }, async () => {
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
          '.hit-title a, .search-row input, .search-row button, .page-toc summary';
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
  const { context, page } = await open('2024/indicators/');
  try {
    const r = await page.evaluate(() => [...document.querySelectorAll('.table-scroll')]
      .map((e) => ({ scroll: e.scrollWidth, client: e.clientWidth,
        overflow: getComputedStyle(e).overflowX })));
    assert.ok(r.length > 0, 'indicator tables have scroll boxes');
    assert.ok(r.some((x) => x.scroll > x.client), 'some table is wider than its box');
    assert.ok(r.every((x) => x.overflow === 'auto'), 'boxes scroll');
    assert.ok(await overflow(page) <= 0, 'page itself does not scroll sideways');
  } finally {
    await context.close();
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
    await page.click(`.case-filter a[data-tag="${tag}"]`);
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
