// Why: the rules issue #8 found broken, each against a fake supervisor: what serves after --no-restart,
// when config commits, what restart/scale replace, hung release phases, builds outside the lock, recovery.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Platform } from '../../../src/deploy/platform.js';
import { rig, type Rig } from './fake.js';

const PROCFILE = { Procfile: 'web: node server.js\nworker: node worker.js\n' };
let r: Rig;
afterEach(() => r?.close());

/** The dynos the router sends `app` traffic to, as 'web.1@v2' (release read from the fake's list). */
function served(app: string): string[] {
  const route = r.table().get(`${app}.localhost`);
  return (route?.upstreams ?? []).map((u) => {
    const d = r.supervisor.list(app).find((x) => x.spec.port === u.port)!;
    return `${u.dyno}@v${d.spec.release}`;
  }).sort();
}

async function deployed(app = 'shop', files: Record<string, string> = PROCFILE): Promise<string> {
  const dir = r.app(files);
  await r.platform.deploy(app, dir, r.out);
  return dir;
}

describe('the store is the one source of truth for what serves', () => {
  it('config:set --no-restart, then restart: the dynos roll onto the new release and get the new value', async () => {
    r = rig();
    await deployed();
    await r.platform.setConfig('shop', { GREETING: 'hi' }, [], false, r.out);
    expect(r.store.getApp('shop')!.currentRelease).toBe(2);
    expect(served('shop')).toEqual(['web.1@v1']);
    await r.platform.restart('shop');
    expect(r.supervisor.names('shop')).toEqual(['web.1@v2']);
    expect(served('shop')).toEqual(['web.1@v2']);
    expect(r.supervisor.list('shop')[0]!.spec.env.GREETING).toBe('hi');
  });

  it('config:set --no-restart, then scale web=2: one web.1 and one web.2, both on the new release', async () => {
    r = rig();
    await deployed();
    await r.platform.setConfig('shop', { GREETING: 'hi' }, [], false, r.out);
    await r.platform.scale('shop', { web: 2 });
    expect(r.supervisor.names('shop')).toEqual(['web.1@v2', 'web.2@v2']);
    expect(served('shop')).toEqual(['web.1@v2', 'web.2@v2']);
    const { dynoViews } = await import('../../../src/deploy/views.js');
    expect(dynoViews(r.platform.ctx, 'shop').map((d) => d.name)).toEqual(['web.1', 'web.2']);
  });

  it('restart of one dyno boots its successor beside it (preboot) and leaves the others alone', async () => {
    r = rig();
    await deployed();
    await r.platform.scale('shop', { web: 2 });
    const before = r.supervisor.list('shop').map((d) => d.pid);
    await r.platform.restart('shop', 'web.2');
    const after = r.supervisor.list('shop');
    expect(after.map((d) => d.spec.name).sort()).toEqual(['web.1', 'web.2']);
    expect(after.find((d) => d.spec.name === 'web.1')!.pid).toBe(before[0]);
    expect(after.find((d) => d.spec.name === 'web.2')!.pid).not.toBe(before[1]);
    expect(r.store.listDynos('shop').map((d) => d.name)).toEqual(['web.1', 'web.2']);
  });

  it('a restart whose new web dyno crashes keeps the old one serving and says so', async () => {
    r = rig();
    await deployed();
    const old = r.supervisor.list('shop')[0]!.pid;
    r.supervisor.behaviour = (s) => (s.type === 'web' ? 'crash' : 'up');
    await expect(r.platform.restart('shop', 'web')).rejects.toThrow(/web\.1 crashed/);
    expect(r.supervisor.list('shop').map((d) => d.pid)).toEqual([old]);
    expect(served('shop')).toEqual(['web.1@v1']);
  });
});

describe('config commits only with the release that succeeds', () => {
  it('a config:set whose dynos do not boot leaves the old config and release', async () => {
    r = rig();
    await deployed();
    r.supervisor.behaviour = (s) => (s.type === 'web' ? 'crash' : 'up');
    await expect(r.platform.setConfig('shop', { BAD: '1' }, [], true, r.out)).rejects.toThrow(/crashed/);
    expect(r.store.getConfig('shop')).toEqual({});
    expect(r.store.getApp('shop')!.currentRelease).toBe(1);
    expect(r.store.getRelease('shop', 2)!.status).toBe('failed');
    expect(served('shop')).toEqual(['web.1@v1']);
  });

  it('a rollback whose preboot fails keeps the config and release it had', async () => {
    r = rig();
    await deployed();
    await r.platform.setConfig('shop', { A: '1' }, [], true, r.out);
    r.supervisor.behaviour = (s) => (s.type === 'web' ? 'crash' : 'up');
    await expect(r.platform.rollback('shop', 1, r.out)).rejects.toThrow(/crashed/);
    expect(r.store.getConfig('shop')).toEqual({ A: '1' });
    expect(r.store.getApp('shop')!.currentRelease).toBe(2);
  });

  it('checks the 32 kB limit on the config the app would have, not on one request', async () => {
    r = rig();
    await deployed();
    await r.platform.setConfig('shop', { A: 'x'.repeat(20_000) }, [], false, r.out);
    await expect(r.platform.setConfig('shop', { B: 'y'.repeat(20_000) }, [], false, r.out)).rejects.toThrow(/over the 32 kB limit/);
    expect(Object.keys(r.store.getConfig('shop'))).toEqual(['A']);
  });
});

describe('names users choose never meet Object.prototype', () => {
  it('scale constructor=1 is an unknown process type and changes nothing', async () => {
    r = rig();
    await deployed();
    await expect(r.platform.scale('shop', { constructor: 1 })).rejects.toThrow("unknown process type 'constructor'");
    await expect(r.platform.scale('shop', { toString: 1 })).rejects.toThrow("unknown process type 'toString'");
    expect(r.platform.formation('shop').map((e) => e.type)).toEqual(['web', 'worker']);
    await r.platform.scale('shop', { worker: 1 });
    expect(r.supervisor.names('shop')).toEqual(['web.1@v1', 'worker.1@v1']);
  });

  it('process types named constructor and __proto__ run like any other', async () => {
    r = rig();
    await deployed('odd', { Procfile: 'web: node s.js\nconstructor: node c.js\n__proto__: node p.js\n' });
    await r.platform.scale('odd', JSON.parse('{"constructor": 1, "__proto__": 1}'));
    expect(r.supervisor.names('odd')).toEqual(['__proto__.1@v1', 'constructor.1@v1', 'web.1@v1']);
  });
});

describe('release phase and postdeploy', () => {
  it('a hung release phase times out, fails the release and leaves the old one serving', async () => {
    r = rig({ releaseTimeoutMs: 200 });
    const dir = await deployed('shop', { Procfile: 'web: node s.js\nrelease: ./migrate\n' });
    r.supervisor.behaviour = (s) => (s.type === 'release' ? 'hang' : 'up');
    await expect(r.platform.deploy('shop', dir, r.out)).rejects.toThrow(/release phase timed out.*0\.2 s/);
    expect(r.store.getApp('shop')!.currentRelease).toBe(1);
    expect(r.supervisor.list('shop').map((d) => d.spec.name)).toEqual(['web.1']);
  });

  it('minik stop release ends a hung release phase without waiting for the app lock', async () => {
    r = rig();
    const dir = await deployed('shop', { Procfile: 'web: node s.js\nrelease: ./migrate\n' });
    r.supervisor.behaviour = (s) => (s.type === 'release' ? 'hang' : 'up');
    const deploying = r.platform.deploy('shop', dir, r.out);
    deploying.catch(() => {});
    await until(() => r.supervisor.list('shop').some((d) => d.spec.type === 'release'));
    expect(await r.platform.stop('shop', 'release')).toEqual(['release.2']);
    await expect(deploying).rejects.toThrow(/release phase failed: '\.\/migrate' was stopped \(status 143\)/);
    expect(r.store.getApp('shop')!.currentRelease).toBe(1);
  });
});

describe('builds run outside the app lock and cancel on disconnect', () => {
  const SLOW = { Procfile: 'web: node s.js\n', 'package.json': JSON.stringify({ name: 'slow', scripts: { 'heroku-prebuild': 'sleep 7.31' } }) };

  it('scale and stop answer while a build runs; a disconnect cancels it and leaves nothing behind', async () => {
    r = rig();
    await deployed('shop', { Procfile: 'web: node s.js\n' });
    const ctl = new AbortController();
    const dir = r.app(SLOW);
    const deploying = r.platform.deploy('shop', dir, r.out, ctl.signal);
    deploying.catch(() => {});
    await until(() => sleeping('7.31').length > 0, 20_000);
    await r.platform.scale('shop', { web: 2 });
    expect(r.supervisor.names('shop')).toEqual(['web.1@v1', 'web.2@v1']);
    ctl.abort();
    await expect(deploying).rejects.toMatchObject({ code: 'canceled' });
    await until(() => sleeping('7.31').length === 0, 5000);
    expect(readdirSync(join(r.home, 'builds', 'shop'))).toEqual([]);
    expect(readdirSync(join(r.home, 'slugs', 'shop'))).toHaveLength(1);
    expect(r.store.listReleases('shop').map((x) => x.status)).toEqual(['succeeded']);
  });
});

describe('a deploy says when its slug is built: a client leaving after that no longer cancels it', () => {
  it('calls built() once, after the build output and before the release; an abort then still releases', async () => {
    r = rig();
    const dir = await deployed('shop', { Procfile: 'web: node s.js\n' });
    const events: string[] = [];
    const ctl = new AbortController();
    const out = {
      log: (line: string) => events.push(line),
      built: () => { events.push('BUILT'); ctl.abort(); },
    };
    const res = await r.platform.deploy('shop', dir, out, ctl.signal);
    expect(res.release).toBe(2);
    expect(events.filter((e) => e === 'BUILT')).toHaveLength(1);
    const at = events.indexOf('BUILT');
    expect(events.slice(0, at).some((e) => e.includes('Discovering process types'))).toBe(true);
    expect(events.slice(at).some((e) => e.includes('Starting 1 web dyno of v2'))).toBe(true);
    expect(r.store.getApp('shop')!.currentRelease).toBe(2);
  });
});

describe('slug retention', () => {
  it('keeps the slugs of the last 5 releases that succeeded, and drops a failed release\'s slug at once', async () => {
    r = rig({ keepSlugs: 2 });
    const dir = await deployed('shop', { Procfile: 'web: node s.js\n' });
    await r.platform.deploy('shop', dir, r.out);
    r.supervisor.behaviour = (s) => (s.type === 'web' ? 'crash' : 'up');
    for (let i = 0; i < 3; i++) await expect(r.platform.deploy('shop', dir, r.out)).rejects.toThrow();
    const rel = r.store.listReleases('shop');
    expect(rel.map((x) => `${x.version}:${x.status}:${x.slug ? 'slug' : '-'}`)).toEqual(['5:failed:-', '4:failed:-', '3:failed:-', '2:succeeded:slug', '1:succeeded:slug']);
    expect(readdirSync(join(r.home, 'slugs', 'shop'))).toHaveLength(2);
  });
});

describe('recovery after the daemon was killed mid-deploy', () => {
  it('fails the pending release, deletes its build folder and unused slugs, and restarts the formation', async () => {
    r = rig();
    await deployed();
    const pending = r.store.createRelease({ ...r.store.getRelease('shop', 1)!, description: 'Deploy x', status: 'pending' });
    mkdirSync(join(r.home, 'builds', 'shop', 'half'), { recursive: true });
    mkdirSync(join(r.home, 'slugs', 'shop', 'stray'), { recursive: true });
    writeFileSync(join(r.home, 'slugs', 'shop', 'stray', 'x'), '');
    r.supervisor.dynos.length = 0; // the old daemon and its dynos are gone
    const again = new Platform({ store: r.store, supervisor: r.supervisor, logs: r.logs, router: { setTable() {} } as never, settings: r.platform.ctx.settings });
    await again.restore();
    expect(r.store.getRelease('shop', pending.version)!.status).toBe('failed');
    expect(existsSync(join(r.home, 'builds', 'shop'))).toBe(false);
    expect(existsSync(join(r.home, 'slugs', 'shop', 'stray'))).toBe(false);
    expect(r.supervisor.names('shop')).toEqual(['web.1@v1']);
    expect(r.logs.recent('shop', {}).map((l) => l.message)).toContain(`Release v${pending.version} failed: interrupted by a daemon restart`);
  });
});

/** pids of `sleep SECONDS` processes (a distinctive duration marks the test's own). */
function sleeping(seconds: string): number[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'utf8') === `sleep\0${seconds}\0`;
    } catch { return false; }
  }).map(Number);
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((res) => setTimeout(res, 20));
  }
}
