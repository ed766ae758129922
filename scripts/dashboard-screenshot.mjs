#!/usr/bin/env node
// Takes docs/dashboard.png: a throwaway MINIK_HOME, fixtures/node-hello with two web dynos, a few minutes of
// mixed traffic (fast, slow, 404s and a maintenance window), then Debian's Chromium on the app page.
//   npm run build && node scripts/dashboard-screenshot.mjs [MINUTES (3)] [OUT (docs/dashboard.png)]
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..');
const minutes = Number(process.argv[2] ?? 3);
const out = resolve(process.argv[3] ?? join(root, 'docs/dashboard.png'));
const home = mkdtempSync(join(tmpdir(), 'minik-shot-'));
const env = { ...process.env, MINIK_HOME: home, MINIK_PORT: '17480', MINIK_DASHBOARD_PORT: '17479', NO_COLOR: '1', MINIK_METRICS_SAMPLE_MS: '5000' };
const minik = (...args) => execFileSync(process.execPath, [join(root, 'bin/minik'), ...args], { env, encoding: 'utf8' });
const get = (path) => new Promise((done) => {
  const req = request({ host: '127.0.0.1', port: 17480, path, headers: { host: 'shop.localhost' }, agent: false }, (res) => { res.resume(); res.on('end', done); });
  req.on('error', done);
  req.end();
});

try {
  cpSync(join(root, 'fixtures/node-hello'), join(home, 'shop'), { recursive: true });
  minik('up', join(home, 'shop'), '--name', 'shop');
  minik('config:set', 'GREETING=hello', 'DATABASE_URL=postgres://localhost/shop', '-a', 'shop');
  minik('scale', 'web=2', '-a', 'shop');
  minik('ps:autoscale:enable', 'web', '--min', '2', '--max', '4', '--p95', '800', '-a', 'shop');
  const end = Date.now() + minutes * 60_000;
  let i = 0;
  while (Date.now() < end) {
    const phase = Math.sin(i / 40);
    await Promise.all(Array.from({ length: 4 }, (_, k) => get(k === 0 && i % 3 === 0 ? `/slow?ms=${Math.round(150 + 120 * phase)}` : i % 17 === 0 ? '/missing' : '/')));
    if (i % 400 === 200) { minik('maintenance:on', '-a', 'shop'); await get('/'); minik('maintenance:off', '-a', 'shop'); }
    i++;
    await new Promise((r) => setTimeout(r, 40));
  }
  const url = minik('dashboard', '--print').trim();
  const profile = mkdtempSync(join(tmpdir(), 'minik-shot-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', viewport: { width: 1280, height: 1400 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = browser.pages()[0] ?? await browser.newPage();
  await page.goto(url);
  await page.goto('http://127.0.0.1:17479/apps/shop');
  await page.locator('#metrics figure.chart').first().waitFor();
  await get('/');
  await page.waitForTimeout(1500);
  await page.screenshot({ path: out, fullPage: true });
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
  console.log(`wrote ${out}`);
} finally {
  try { minik('daemon', 'stop'); } catch { /* not running */ }
  rmSync(home, { recursive: true, force: true });
}
