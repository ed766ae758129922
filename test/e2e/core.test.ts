// Issue 2: minik up builds, supervises and routes; scale; ps; state survives a SIGKILLed daemon.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { FIXTURES, groupAlive, minik, until, type Minik } from './harness.js';

interface DynoView { name: string; type: string; state: string; pid: number; port: number; restarts: number }

describe('minik up → route → scale (node-hello)', () => {
  let m: Minik;
  beforeAll(async () => { m = await minik(); });
  afterAll(async () => { await m.stop(); });

  const ps = async (app = 'node-hello'): Promise<DynoView[]> => {
    const r = await m.run(['ps', '--json', '-a', app]);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    return JSON.parse(String(r.stdout)) as DynoView[];
  };

  it('deploys, prints the URL and serves through the router', async () => {
    const up = await m.run(['up', join(FIXTURES, 'node-hello')]);
    expect(up.exitCode, `${up.stdout}\n${up.stderr}`).toBe(0);
    expect(up.stdout).toContain('Node.js app detected');
    expect(up.stdout).toContain(`http://node-hello.localhost:${m.port}`);
    const res = await m.get('node-hello');
    expect(res.status).toBe(200);
    expect(res.body).toContain('web.1');
  });

  it('passes Heroku forwarded headers', async () => {
    const res = await m.get('node-hello', '/env/PORT');
    expect(Number(res.body)).toBeGreaterThan(0);
    const dyno = await m.get('node-hello', '/env/DYNO');
    expect(dyno.body).toBe('web.1');
  });

  it('scales to 3 and round-robins across 3 distinct dynos', async () => {
    const r = await m.run(['scale', 'web=3', '-a', 'node-hello']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const dynos = await ps();
    expect(dynos.filter((d) => d.type === 'web' && d.state === 'up').map((d) => d.name).sort()).toEqual(['web.1', 'web.2', 'web.3']);
    const seen = new Set<string>();
    for (let i = 0; i < 9; i++) seen.add((await m.get('node-hello', '/dyno')).body);
    expect([...seen].sort()).toEqual(['web.1', 'web.2', 'web.3']);
  });

  it('refuses unknown types and bad counts with a reason', async () => {
    const bad = await m.run(['scale', 'nope=1', '-a', 'node-hello']);
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toMatch(/unknown process type 'nope'/);
    const big = await m.run(['scale', 'web=101', '-a', 'node-hello']);
    expect(big.exitCode).not.toBe(0);
    expect(big.stderr).toMatch(/0.*100/);
  });

  it('scales to 0: 503 H14 and no process left', async () => {
    const before = await ps();
    const r = await m.run(['scale', 'web=0', '-a', 'node-hello']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(await ps()).toEqual([]);
    const res = await m.get('node-hello');
    expect(res.status).toBe(503);
    expect(res.body).toContain('H14');
    for (const d of before) expect(groupAlive(d.pid)).toBe(false);
  });

  it('lists apps as JSON and as a table', async () => {
    const json = await m.run(['apps', '--json']);
    expect(JSON.parse(String(json.stdout))[0]).toMatchObject({ name: 'node-hello', currentRelease: 1 });
    const table = await m.run(['apps']);
    expect(table.stdout).toContain('node-hello');
  });

  it('answers 404 with the list of apps for an unknown host', async () => {
    const res = await m.get('nope');
    expect(res.status).toBe(404);
    expect(res.body).toContain('node-hello');
  });

  it('apps:destroy needs --confirm, then stops every dyno and forgets the app', async () => {
    expect((await m.run(['scale', 'web=2', '-a', 'node-hello'])).exitCode).toBe(0);
    const dynos = await ps();
    expect((await m.run(['apps:destroy', 'node-hello'])).exitCode).not.toBe(0);
    const r = await m.run(['apps:destroy', 'node-hello', '--confirm', 'node-hello']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    for (const d of dynos) expect(groupAlive(d.pid), d.name).toBe(false);
    expect((await m.get('node-hello')).status).toBe(404);
    expect(JSON.parse(String((await m.run(['apps', '--json'])).stdout))).toEqual([]);
  });
});

describe('buildpacks and process types', () => {
  let m: Minik;
  beforeAll(async () => { m = await minik(); });
  afterAll(async () => { await m.stop(); });

  it('python: runs the Procfile web type with PORT and DYNO', async () => {
    const up = await m.run(['up', join(FIXTURES, 'python-hello')]);
    expect(up.exitCode, `${up.stdout}\n${up.stderr}`).toBe(0);
    const res = await m.get('python-hello');
    expect(res.status).toBe(200);
    expect(res.body).toContain('web.1');
  });

  it('static: serves files with content types and no path escapes', async () => {
    const up = await m.run(['up', join(FIXTURES, 'static-site')]);
    expect(up.exitCode, `${up.stdout}\n${up.stderr}`).toBe(0);
    const css = await m.get('static-site', '/style.css');
    expect(css.status).toBe(200);
    expect(String(css.headers['content-type'])).toMatch(/text\/css/);
    expect((await m.get('static-site', '/')).body).toMatch(/<html/i);
    for (const path of ['/../../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/sub/..%2f..%2f..%2fetc/passwd']) {
      const res = await m.get('static-site', path);
      expect([400, 403, 404], path).toContain(res.status);
      expect(res.body, path).not.toContain('root:');
    }
  });

  it('procfile-only: web and worker types; worker at 0 until scaled', async () => {
    const up = await m.run(['up', join(FIXTURES, 'procfile-multi')]);
    expect(up.exitCode, `${up.stdout}\n${up.stderr}`).toBe(0);
    expect((await m.get('procfile-multi')).status).toBe(200);
    const scale = await m.run(['scale', 'worker=1', '-a', 'procfile-multi']);
    expect(scale.exitCode, String(scale.stderr)).toBe(0);
    const ps = JSON.parse(String((await m.run(['ps', '--json', '-a', 'procfile-multi'])).stdout)) as DynoView[];
    expect(ps.map((d) => `${d.name}:${d.state}`).sort()).toEqual(['web.1:up', 'worker.1:up']);
    const logs = await until(async () => {
      const r = await m.run(['logs', '-a', 'procfile-multi', '--ps', 'worker.1', '-n', '5']);
      return /app\[worker\.1\]: /.test(String(r.stdout)) ? String(r.stdout) : '';
    }, 'worker output in logs');
    expect(logs).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00 app\[worker\.1\]: /m);
  });

  it('node with a Procfile: Procfile types win over the start script', async () => {
    const up = await m.run(['up', join(FIXTURES, 'node-procfile')]);
    expect(up.exitCode, `${up.stdout}\n${up.stderr}`).toBe(0);
    expect(up.stdout).toMatch(/Procfile declares types -> .*web/);
    expect((await m.get('node-procfile')).status).toBe(200);
  });

  it('a folder with no marker fails with what minik looks for', async () => {
    const up = await m.run(['up', FIXTURES + '/..' + '/docs', '--name', 'nothing']);
    expect(up.exitCode).not.toBe(0);
    expect(up.stderr).toMatch(/Procfile/);
  });
});
