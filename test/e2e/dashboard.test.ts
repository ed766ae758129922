// Issue 13: the dashboard in a real browser (Debian's Chromium driven by playwright-core), and its security cases.
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixture, minik, until, type Minik } from './harness.js';

/** Flags from HEROKU-NEXT.md: no sandbox (root in a container), nothing fetched in the background. */
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; body: string }
function raw(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('dashboard in Chromium', () => {
  let m: Minik;
  let browser: BrowserContext;
  let page: Page;
  let profile: string;
  let dash: number;
  const loginUrl = async () => String((await m.run(['dashboard', '--print'])).stdout).trim();

  beforeAll(async () => {
    m = await minik();
    dash = Number(m.env.MINIK_DASHBOARD_PORT);
    const dir = await copyFixture('node-hello', m.home);
    const up = await m.run(['up', dir]);
    expect(up.exitCode, `${up.stdout}\n${up.stderr}`).toBe(0);
    profile = await mkdtemp(join(tmpdir(), 'minik-chromium-'));
    // A fresh profile per run (playwright passes it to Chromium as --user-data-dir).
    browser = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', args: FLAGS, viewport: { width: 1280, height: 1400 } });
    page = browser.pages()[0] ?? await browser.newPage();
    page.on('dialog', (d) => void d.accept());
  });
  afterAll(async () => {
    await browser?.close();
    await m?.stop();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it('signs in once with the one-time URL and lists the apps', async () => {
    const url = await loginUrl();
    expect(url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${dash}/login\\?token=[A-Za-z0-9_-]{32}$`));
    await page.goto(url);
    expect(new URL(page.url()).pathname).toBe('/');
    await expect.poll(() => page.locator('#apps a[href="/apps/node-hello"]').count()).toBe(1);
    const cookie = (await page.context().cookies()).find((c) => c.name === 'minik_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    // The same URL a second time is refused, and sets no cookie.
    const again = await raw(dash, 'GET', new URL(url).pathname + new URL(url).search, { host: `127.0.0.1:${dash}` });
    expect(again.status).toBe(401);
    expect(again.headers['set-cookie']).toBeUndefined();
  });

  it('scales web up with the stepper and shows the new dyno live', async () => {
    await page.goto(`http://127.0.0.1:${dash}/apps/node-hello`);
    await page.getByRole('button', { name: 'more web dynos' }).click();
    await page.locator('[data-dyno="web.2"]').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('tr', { has: page.locator('[data-dyno="web.2"]') }).locator('.state').textContent(), { timeout: 30_000 }).toBe('up');
    expect(await page.locator('[data-qty="web"]').textContent()).toBe('2');
  });

  it('sets a config var, reveals it, and the dyno sees it', async () => {
    await page.locator('[data-form=config] input[name=key]').fill('GREETING');
    await page.locator('[data-form=config] input[name=value]').fill('hola <b>');
    await page.locator('[data-form=config] button[type=submit]').click();
    await until(async () => (await m.get('node-hello', '/env/GREETING')).body === 'hola <b>', 'the new config var in the dyno', 40_000);
    await expect.poll(() => page.locator('#config code').allTextContents(), { timeout: 20_000 }).toContain('GREETING');
    expect(await page.locator('[data-value="GREETING"]').count()).toBe(0);
    await page.getByRole('button', { name: 'Reveal config vars' }).click();
    await expect.poll(() => page.locator('[data-value="GREETING"]').textContent()).toBe('hola <b>');
  });

  it('shows a router log line as it arrives, and finds it by request id', async () => {
    await m.get('node-hello', '/dashboard-probe', { 'x-request-id': 'probe-dashboard-0001-abcdef' });
    await expect.poll(() => page.locator('#logs').textContent(), { timeout: 20_000 }).toContain('path="/dashboard-probe"');
    await page.locator('[data-form=logs] input[name=requestId]').fill('probe-dashboard-0001-abcdef');
    await expect.poll(() => page.locator('#logs .log').count()).toBe(1);
    await page.locator('[data-form=logs] input[name=requestId]').fill('');
    await page.locator('[data-form=logs] select[name=source]').selectOption('router');
    expect(await page.locator('#logs .log').count()).toBeGreaterThan(0);
    for (const t of await page.locator('#logs .log b').allTextContents()) expect(t).toBe('minik[router]');
    await page.locator('[data-form=logs] select[name=source]').selectOption('');
  });

  it('draws the metrics charts from the router’s numbers', async () => {
    await page.getByRole('button', { name: 'Last day' }).click();
    await expect.poll(() => page.locator('#metrics figure.chart').count(), { timeout: 20_000 }).toBe(3);
    await page.getByRole('button', { name: 'Last hour' }).click();
    await expect.poll(() => page.locator('#metrics path.line').count(), { timeout: 40_000 }).toBeGreaterThan(0);
    if (process.env.MINIK_SCREENSHOT) await page.screenshot({ path: process.env.MINIK_SCREENSHOT, fullPage: true });
  });

  it('rolls back to v1 from the releases table', async () => {
    await page.getByRole('button', { name: 'Roll back to v1' }).click();
    await expect.poll(() => page.locator('#releases').textContent(), { timeout: 40_000 }).toContain('Rollback to v1');
    await until(async () => (await m.get('node-hello', '/env/GREETING')).status === 404, 'the rolled-back config', 40_000);
  });

  it('refuses a forged Host, a missing cookie, a cross-origin change and a change without the CSRF header', async () => {
    const cookie = (await page.context().cookies()).find((c) => c.name === 'minik_session')!;
    const host = `127.0.0.1:${dash}`;
    const session = `minik_session=${cookie.value}`;
    const json = { 'content-type': 'application/json' };
    const csrf = await page.locator('meta[name=csrf]').getAttribute('content');
    const ok = await raw(dash, 'POST', '/api/apps/node-hello/maintenance', { host, cookie: session, origin: `http://${host}`, ...json, 'x-minik-csrf': csrf! }, '{"on":false}');
    expect(ok.status).toBe(200);
    for (const forged of ['evil.example:' + dash, `127.0.0.1.evil.example:${dash}`, `localhost:${dash}.evil.example`, '127.0.0.1']) {
      expect((await raw(dash, 'GET', '/', { host: forged, cookie: session })).status).toBe(403);
    }
    expect((await raw(dash, 'GET', '/apps/node-hello', { host })).status).toBe(401);
    const noCookie = await raw(dash, 'POST', '/api/apps/node-hello/restart', { host, origin: `http://${host}`, ...json, 'x-minik-csrf': csrf! }, '{}');
    expect(noCookie.status).toBe(401);
    const crossOrigin = await raw(dash, 'POST', '/api/apps/node-hello/restart', { host, cookie: session, origin: 'http://evil.example', ...json, 'x-minik-csrf': csrf! }, '{}');
    expect(crossOrigin.status).toBe(403);
    const form = await raw(dash, 'POST', '/api/apps/node-hello/restart', { host, cookie: session, origin: `http://${host}`, 'content-type': 'application/x-www-form-urlencoded', 'x-minik-csrf': csrf! }, 'a=b');
    expect(form.status).toBe(415);
    const noCsrf = await raw(dash, 'POST', '/api/apps/node-hello/restart', { host, cookie: session, origin: `http://${host}`, ...json }, '{}');
    expect(noCsrf.status).toBe(403);
    for (const a of [ok, noCookie, crossOrigin, noCsrf]) expect(Object.keys(a.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    // A page on another origin cannot make the browser change anything either.
    const evil = await browser.newPage();
    await evil.goto(`http://localhost:${dash}/login`);
    const status = await evil.evaluate(async (target) => {
      try {
        const r = await fetch(target, { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: '{}' });
        return r.status;
      } catch {
        return 0;
      }
    }, `http://127.0.0.1:${dash}/api/apps/node-hello/restart`);
    expect([0, 401, 403]).toContain(status);
    await evil.close();
  });
});
