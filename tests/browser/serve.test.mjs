/*
 * The preview's reload in Chromium: `site-gen serve` (SG_BIN) on a copy of
 * the example site (SG_EXAMPLE, else the repository's), and ten tabs of
 * one browser open at once.  Browsers open at most six connections to a
 * host; with an event stream in each tab, the seventh tab never loaded.
 * Every tab must load, and an edit must still reload each tab that shows
 * it.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = process.env.SG_BIN || path.join(ROOT, 'build', 'site-gen');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TABS = 10;

let site, child, base, browser;

before(async () => {
  site = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-serve-browser-'));
  for (const d of ['site.yml', 'content', 'themes', 'schemas'])
    if (fs.existsSync(path.join(ROOT, d)))
      fs.cpSync(path.join(ROOT, d), path.join(site, d), { recursive: true });
  child = spawn(BIN, ['-C', site, 'serve', '--port', '0'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  base = await new Promise((ok, fail) => {
    let out = '';
    const t = setTimeout(() => fail(new Error('serve did not start: ' + out)), 60000);
    child.stdout.on('data', (b) => {
      out += b;
      const m = /serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) { clearTimeout(t); ok(m[1]); }
    });
    child.on('exit', (c) => fail(new Error('serve exited ' + c + ': ' + out)));
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
      '--disable-quic', '--disable-dev-shm-usage'],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (child) child.kill('SIGTERM');
  if (site) fs.rmSync(site, { recursive: true, force: true });
});

test('ten tabs of one browser all load, and an edit reloads each', async () => {
  const context = await browser.newContext();
  let streams = 0;
  context.on('request', (r) => { if (r.url().endsWith('/__sg/events')) streams++; });
  const pages = [];
  for (let i = 0; i < TABS; i++) {
    const p = await context.newPage();
    /* Each must load while the others stay open. */
    await p.goto(base + '2024/cases/3/', { waitUntil: 'load', timeout: 10000 });
    pages.push(p);
  }
  /* Give the tabs time to settle on a leader. */
  await new Promise((ok) => setTimeout(ok, 1000));
  assert.ok(streams <= 2, `${streams} event streams for ${TABS} tabs`);

  for (const p of pages)
    await p.evaluate(() => { window.sgBefore = true; });
  const file = path.join(site, 'content/2024/cases/03-party-building-ai-painting.md');
  const text = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, text.replace('\n\n', '\n\n浏览器里看到的新段落。\n\n'));
  for (const [i, p] of pages.entries()) {
    await p.waitForFunction(() => !window.sgBefore &&
      document.body.textContent.includes('浏览器里看到的新段落。'),
    null, { timeout: 10000 }).catch(() => assert.fail(`tab ${i} did not reload`));
  }
  await context.close();
});
