// (h) The dashboard's first render with 20 apps: the daemon's own objects (from dist/) over a store of 20 apps
// with 5 releases each, served on a free port; measured as time to the last byte of the apps page and of an
// app page (server), and, when Debian's Chromium is there, the browser's DOMContentLoaded. Goal: < 200 ms.
import { existsSync, mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { summary } from '../lib/stats.mjs';
import { fmt, meets, naRow, noiseOf } from '../lib/table.mjs';
import { freePort } from '../lib/proc.mjs';

export const name = 'dashboard';
const APPS = 20;
const N = 30;

function get(port, path, cookie) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request({ host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, ...(cookie ? { cookie } : {}) }, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ ms: performance.now() - t0, status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Builds the daemon's objects over a seeded store and serves the dashboard. */
async function serve(ctx) {
  const dist = (p) => join(ctx.root, 'dist', p);
  const [{ Store }, { LogHub, Supervisor }, { Router }, { Platform }, { Metrics }, { Autoscaler }, { Dashboard }] = await Promise.all(
    ['store/index.js', 'supervisor/index.js', 'router/index.js', 'deploy/platform.js', 'metrics/index.js', 'autoscale/index.js', 'dashboard/index.js'].map((p) => import(dist(p))));
  const home = join(ctx.tmp, 'dashboard-home');
  mkdirSync(home, { recursive: true });
  const store = new Store(join(home, 'minik.db'));
  for (let i = 1; i <= APPS; i++) {
    const app = `app-${String(i).padStart(2, '0')}`;
    store.createApp(app, join(home, app));
    for (let v = 1; v <= 5; v++) {
      store.createRelease({ app, slug: null, config: { A: 'x', B: 'y' }, dotenv: {}, processTypes: { web: 'node server.js', worker: 'node worker.js' }, buildpack: 'node', description: `Deploy ${v}`, status: 'succeeded' });
    }
    store.setCurrentRelease(app, 5);
    store.setFormation(app, { web: 2, worker: 1 });
  }
  const logs = new LogHub(join(home, 'logs'));
  const supervisor = new Supervisor({ logs, backoff: { baseMs: 1000, capMs: 1000, resetAfterMs: 1000 } });
  const router = new Router({ port: 0, onLog: () => {} });
  const platform = new Platform({ store, supervisor, logs, router, settings: { home, routerPort: 7080, bootTimeoutMs: 1000, stopTimeoutMs: 1000, keepSlugs: 5 } });
  const metrics = new Metrics({ store, supervisor, logs });
  const port = await freePort();
  const dashboard = new Dashboard({ platform, metrics, autoscaler: new Autoscaler(platform, metrics), port });
  await dashboard.listen();
  return { port, dashboard, close: () => { dashboard.close(); store.close(); } };
}

/** Median time to the last byte of `/` and `/apps/app-01`, and Chromium's DOMContentLoaded for `/`. */
export async function run(ctx) {
  const M = `dashboard first render, ${APPS} apps`;
  let s;
  try { s = await serve(ctx); } catch (e) { return { rows: [naRow(M, e.message, '< 200 ms')] }; }
  try {
    const login = new URL(s.dashboard.loginUrl());
    const cookie = String((await get(s.port, login.pathname + login.search)).headers['set-cookie']).split(';')[0];
    const times = async (path) => {
      const xs = [];
      for (let i = 0; i < N; i++) xs.push((await get(s.port, path, cookie)).ms);
      return summary(xs);
    };
    ctx.progress('dashboard: apps page and app page, server side');
    const list = await times('/');
    const app = await times('/apps/app-01');
    const rows = [
      { metric: `${M}: apps page, server`, minik: fmt.ms(list.median), reference: '', ratio: '', goal: '< 200 ms', ok: meets(list.median, '<=', 200), noise: noiseOf('apps page', list, fmt.ms) },
      { metric: `${M}: app page, server`, minik: fmt.ms(app.median), reference: '', ratio: '', goal: '< 200 ms', ok: meets(app.median, '<=', 200), noise: noiseOf('app page', app, fmt.ms) },
    ];
    if (existsSync('/usr/bin/chromium')) {
      ctx.progress('dashboard: Chromium DOMContentLoaded');
      const { chromium } = await import('playwright-core');
      const flags = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
      const profile = join(ctx.tmp, 'chromium-profile');
      const browser = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', args: flags });
      try {
        const page = browser.pages()[0] ?? await browser.newPage();
        await page.goto(s.dashboard.loginUrl());
        const xs = [];
        for (let i = 0; i < 10; i++) {
          await page.goto(`http://127.0.0.1:${s.port}/`, { waitUntil: 'domcontentloaded' });
          xs.push(await page.evaluate(() => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd));
        }
        const b = summary(xs);
        rows.push({ metric: `${M}: apps page in Chromium (DOMContentLoaded)`, minik: fmt.ms(b.median), reference: '', ratio: '', goal: '< 200 ms', ok: meets(b.median, '<=', 200), noise: noiseOf('Chromium', b, fmt.ms) });
      } finally {
        await browser.close();
      }
    }
    return { rows };
  } catch (e) {
    return { rows: [naRow(M, e.message, '< 200 ms')] };
  } finally {
    s.close();
  }
}
