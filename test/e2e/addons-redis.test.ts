// Issue 11: a Redis add-on keeps an app's counter through a daemon restart, shows in ps, and goes with apps:destroy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addonPorts, addonProcesses } from './addons-helpers.js';
import { copyFixture, minik, until, type Minik } from './harness.js';

describe('a Redis add-on', () => {
  let m: Minik;
  let dir: string;
  const app = 'node-redis';
  const count = async () => (await m.get(app)).body.trim();
  const webUp = async () => (JSON.parse(String((await m.run(['ps', '--json', '-a', app])).stdout)) as { state: string }[]).some((d) => d.state === 'up');

  beforeAll(async () => {
    m = await minik({ MINIK_ADDON_PORTS: addonPorts() });
    dir = await copyFixture(app, m.home);
  });
  afterAll(async () => {
    const home = m.home;
    await m.stop();
    expect(addonProcesses(home)).toEqual([]);
  });

  it('persists the counter across a daemon stop and start', async () => {
    const created = await m.run(['addons:create', 'redis', '-a', app], { cwd: dir });
    expect(created.exitCode, created.stderr).toBe(0);
    expect(created.stderr).toMatch(/Creating heroku-redis on ⬢ node-redis\.\.\. done/);
    expect(created.stdout).toMatch(/^Created redis-node-redis-1 as REDIS_URL$/m);
    expect((await m.run(['up', dir])).exitCode).toBe(0);
    expect(await count()).toBe('count: 1');
    expect(await count()).toBe('count: 2');
    const [server] = addonProcesses(m.home);
    expect(server?.cmdline).toMatch(/redis-server/);

    expect((await m.run(['daemon', 'stop'])).exitCode).toBe(0);
    expect(addonProcesses(m.home)).toEqual([]);
    expect((await m.run(['daemon', 'start'])).exitCode).toBe(0);
    await until(webUp, 'web.1 to be up again', 60_000, 200);
    expect(await count()).toBe('count: 3');

    const info = await m.run(['redis:info', '-a', app]);
    expect(info.stdout).toMatch(/Keys:\s+1/);
    expect(info.stdout).toMatch(/Persistence:\s+AOF/);
    const ps = await m.run(['ps', '-a', app]);
    expect(ps.stdout).toMatch(/=== add-ons\n[\s\S]*redis-node-redis-1\s+up/);
    const cli = await m.run(['redis:cli', '-a', app, '--', 'GET', 'counter']);
    expect(cli.stdout.trim()).toBe('3');
  }, 240_000); // an npm install and two daemon starts on a loaded 2-core machine

  it('is destroyed with its app, which lists it first', async () => {
    const r = await m.run(['apps:destroy', app, '--confirm', app]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Destroying redis-node-redis-1 \(heroku-redis\) with node-redis/);
    expect(addonProcesses(m.home)).toEqual([]);
    expect(JSON.parse(String((await m.run(['addons', '--all', '--json'])).stdout))).toEqual([]);
  });
});
