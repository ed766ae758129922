// Issue 18: one notion of "ready" (the server answers a query) and one bounded wait for it, used by commands and
// by the daemon's restore, which starts an app's dynos only once the add-ons it uses are ready.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Driver } from '../../../src/addons/driver.js';
import { Addons } from '../../../src/addons/manager.js';
import { acceptsQuery } from '../../../src/addons/postgres.js';
import { AddonServer } from '../../../src/addons/server.js';
import type { AddonRecord, AddonService } from '../../../src/core/addons.js';
import { MinikError } from '../../../src/core/errors.js';
import { Platform } from '../../../src/deploy/platform.js';
import { isAlive } from '../../../src/supervisor/index.js';
import { rig, type Rig } from '../deploy/fake.js';

// A stand-in server: writes its pid file, removes it on SIGTERM (its clean stop). The handler comes first: the pid
// file is its "ready", and a stop that came between the two would otherwise kill it without its clean stop.
const SERVER = `const fs = require('fs'); const f = process.argv[1];
process.on('SIGTERM', () => { fs.rmSync(f, { force: true }); process.exit(0); }); fs.writeFileSync(f, String(process.pid)); setInterval(() => {}, 1000);`;
const pidOf = (dir: string) => { try { return Number(readFileSync(join(dir, 'data', 'fake.pid'), 'utf8')); } catch { return null; } };

/** A fake driver whose server answers "a query" only while `accepting` says so. */
function driver(process_: string, accepting: () => boolean, opts: { exitAtOnce?: boolean; refuse?: string } = {}): Driver & { probes: number } {
  const d = {
    process: process_,
    probes: 0,
    provision: async () => ({ version: null }),
    command: async (_a: AddonRecord, dir: string) => {
      if (opts.refuse) throw new MinikError(opts.refuse);
      mkdirSync(join(dir, 'data'), { recursive: true });
      const code = opts.exitAtOnce ? 'process.exit(3)' : SERVER;
      return { file: process.execPath, args: ['-e', code, join(dir, 'data', 'fake.pid')], cwd: join(dir, 'data') };
    },
    pidFile: (dir: string) => join(dir, 'data', 'fake.pid'),
    isReady: async (_a: AddonRecord, dir: string, pid: number) => { d.probes++; return pidOf(dir) === pid && accepting(); },
    askStop: async (_a: AddonRecord, _dir: string, pid: number) => { try { process.kill(pid, 'SIGTERM'); } catch { /* gone */ } },
  };
  return d;
}

const record = (name: string, service: AddonService = 'heroku-postgresql', app = 'shop'): AddonRecord =>
  ({ name, service, plan: 'mini', app, port: 1, password: 'p', version: null, createdAt: '' });
const settings = { backoff: { baseMs: 20, capMs: 100, resetAfterMs: 60_000 }, bootTimeoutMs: 10_000, stopTimeoutMs: 2000 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('AddonServer.whenReady', () => {
  let dir: string;
  let server: AddonServer | null;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'minik-ready-')); server = null; });
  afterEach(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const make = (d: Driver, boot = settings.bootTimeoutMs) => (server = new AddonServer(record('postgresql-shop-1'), dir, d, { ...settings, bootTimeoutMs: boot, log: () => undefined, logFile: '/h/logs/shop.log' }));

  it('is up only once the server answers; a wait that began before the start resolves then', async () => {
    let accepting = false;
    const d = driver('postgres', () => accepting);
    const s = make(d);
    let ready = false;
    const waiting = s.whenReady(10_000).then(() => { ready = true; }); // a command that arrived before the restore
    const started = s.start();
    for (let i = 0; i < 200 && (d.probes < 3 || s.pid === null); i++) await sleep(10);
    expect(d.probes).toBeGreaterThanOrEqual(3); // the process runs and has been asked several times
    expect(isAlive(s.pid!)).toBe(true);
    expect(s.state).toBe('starting');
    expect(ready).toBe(false);
    accepting = true;
    await started;
    await waiting;
    expect(s.state).toBe('up');
    await expect(s.whenReady(10)).resolves.toBeUndefined(); // up: at once
  });

  it('gives up after its bound with one sentence naming the add-on and where its log is', async () => {
    const s = make(driver('postgres', () => false));
    void s.start().catch(() => undefined);
    const err = await s.whenReady(300).catch((e: MinikError) => e);
    expect(err).toBeInstanceOf(MinikError);
    expect((err as MinikError).message).toBe('postgresql-shop-1 did not accept connections within 0.3 s (its postgres server is starting)');
    expect((err as MinikError).hint).toMatch(/minik logs --ps postgres -a shop/);
    expect((err as MinikError).hint).toContain('/h/logs/shop.log'); // the file its output is kept in
  });

  it('concurrent waits share one readiness per start: many callers add no listener each (no MaxListenersExceededWarning), and all resolve at the one "up"', async () => {
    let accepting = false;
    const d = driver('postgres', () => accepting);
    const s = make(d);
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const waits = Array.from({ length: 50 }, () => s.whenReady(10_000));
      const started = s.start();
      accepting = true;
      await started;
      await expect(Promise.all(waits)).resolves.toHaveLength(50);
      await new Promise((r) => setImmediate(r)); // emitWarning reports on a later tick
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('a crashed server whose restart is due after the caller\'s bound is reported at once, with how it ended', async () => {
    const s = (server = new AddonServer(record('postgresql-shop-1'), dir, driver('postgres', () => true),
      { ...settings, backoff: { baseMs: 600_000, capMs: 600_000, resetAfterMs: 600_000 }, log: () => undefined, logFile: '/h/logs/shop.log' }));
    await s.start();
    process.kill(s.pid!, 'SIGKILL');
    for (let i = 0; i < 400 && s.state !== 'crashed'; i++) await sleep(5);
    expect(s.state).toBe('crashed');
    const err = await s.whenReady(5000).catch((e: MinikError) => e);
    expect(err).toBeInstanceOf(MinikError);
    expect((err as MinikError).message).toBe('postgresql-shop-1 crashed (its postgres server ended with exit status SIGKILL) and restarts in 600 s');
    expect((err as MinikError).hint).toContain('/h/logs/shop.log');
  });

  it('a server that never answers fails its start after the boot timeout, and is stopped', async () => {
    const s = make(driver('postgres', () => false), 400);
    await expect(s.start()).rejects.toThrow('postgresql-shop-1 did not accept connections within 0.4 s (its postgres server is starting)');
    expect(s.state).toBe('down');
    expect(s.pid).toBeNull();
    // A later wait says why at once rather than waiting out its own bound.
    const t = Date.now();
    await expect(s.whenReady(10_000)).rejects.toThrow(/did not accept connections within 0\.4 s/);
    expect(Date.now() - t).toBeLessThan(5000);
  });

  it('a server that exits while starting fails the waits at once with how it ended', async () => {
    const s = make(driver('postgres', () => true, { exitAtOnce: true }));
    const waiting = s.whenReady(10_000).catch((e: Error) => e);
    await expect(s.start()).rejects.toThrow('postgresql-shop-1 could not start: its postgres server stopped while starting (exit status 3)');
    expect(String(await waiting)).toMatch(/stopped while starting \(exit status 3\)/);
    await s.stop(); // no restart loop left behind
  });

  it('a start refused before any process (another major version) is the reason every wait gets', async () => {
    const s = make(driver('postgres', () => true, { refuse: 'the data folder of postgresql-shop-1 was made by PostgreSQL 14' }));
    await expect(s.start()).rejects.toThrow(/made by PostgreSQL 14/);
    await expect(s.whenReady(10_000)).rejects.toThrow(/made by PostgreSQL 14/);
  });

  it('after a crash it waits for the restart', async () => {
    const s = make(driver('postgres', () => true));
    await s.start();
    const first = s.pid!;
    process.kill(first, 'SIGKILL');
    for (let i = 0; i < 200 && s.state === 'up'; i++) await sleep(5);
    await s.whenReady(10_000);
    expect(s.state).toBe('up');
    expect(s.pid).not.toBe(first);
  });
});

describe('acceptsQuery (Postgres readiness)', () => {
  it('is false, within its bound, for a refused port and for a server that accepts the socket and never answers; it closes its socket', async () => {
    const sockets: Socket[] = [];
    let closed = 0;
    const mute = createServer((s) => { sockets.push(s); s.resume().on('close', () => closed++); }); // reads, never answers
    await new Promise<void>((r) => mute.listen(0, '127.0.0.1', r));
    const port = (mute.address() as { port: number }).port;
    try {
      const t = Date.now();
      expect(await acceptsQuery({ port, password: 'p' })).toBe(false);
      expect(Date.now() - t).toBeLessThan(10_000);
      for (let i = 0; i < 100 && closed < sockets.length; i++) await sleep(20);
      expect(sockets.length).toBe(1);
      expect(closed).toBe(1);
    } finally {
      await new Promise((r) => mute.close(r));
    }
    expect(await acceptsQuery({ port, password: 'p' })).toBe(false); // nothing listens now
  });
});

describe('a daemon start: dynos wait for their add-ons', () => {
  let r: Rig;
  let addons: Addons | null = null;
  afterEach(async () => {
    await addons?.shutdown();
    r?.close();
  });

  it('starts each app\'s dynos once its add-on answers; a never-ready one holds back only its own app, and only for the bound', async () => {
    r = rig({ bootTimeoutMs: 1500 });
    const procfile = { Procfile: 'web: node server.js\n' };
    await r.platform.deploy('shop', r.app(procfile), r.out);
    await r.platform.deploy('blog', r.app(procfile), r.out);
    r.store.addons.create(record('postgresql-shop-1', 'heroku-postgresql', 'shop'), ['DATABASE']);
    r.store.addons.create({ ...record('redis-blog-1', 'heroku-redis', 'blog'), port: 2 }, ['REDIS']);
    r.supervisor.dynos.length = 0; // the old daemon and its dynos are gone

    let pgAccepting = false;
    const drivers = { 'heroku-postgresql': driver('postgres', () => pgAccepting), 'heroku-redis': driver('redis', () => false) };
    const platform = new Platform({ store: r.store, supervisor: r.supervisor, logs: r.logs, router: { setTable() {} } as never, settings: r.platform.ctx.settings });
    addons = new Addons(platform, { ...r.platform.ctx.settings, ports: { from: 1, to: 2 }, backoff: settings.backoff, certs: { serverCert: () => Promise.reject(new Error('the fake drivers need no CA')) } }, drivers);
    platform.restoreGates.push((app) => addons!.whenAppReady(app));
    // What started each dyno saw: the state of its app's add-on at that moment.
    const seen: string[] = [];
    r.supervisor.behaviour = (spec) => {
      seen.push(`${spec.app}:${addons!.list(spec.app)[0]!.state}`);
      return 'up';
    };

    const restored = addons.restore(); // as daemon/main.ts: both in one turn
    const recovered = platform.restore();
    await sleep(300);
    expect(r.supervisor.names('shop')).toEqual([]); // its database does not answer yet
    pgAccepting = true;
    await platform.ready('shop');
    expect(r.supervisor.names('shop')).toEqual(['web.1@v1']);
    expect(seen).toContain('shop:up');
    await recovered;
    await restored;
    // The Redis never answered: blog's dynos started all the same after the bound, with the reason in its log.
    expect(r.supervisor.names('blog')).toEqual(['web.1@v1']);
    const lines = r.logs.recent('blog', {}).map((l) => l.message);
    expect(lines.filter((l) => l.startsWith('Starting the dynos without waiting for redis-blog-1: '))).toEqual([
      expect.stringMatching(/^Starting the dynos without waiting for redis-blog-1: redis-blog-1 did not accept connections within 1\.5 s \(its redis server is \w+\)$/),
    ]);
    const err = await addons.whenReady(addons.resolve('blog', 'REDIS', 'heroku-redis')).catch((e: MinikError) => e);
    expect(err).toMatchObject({ message: expect.stringMatching(/^redis-blog-1 did not accept connections/), hint: expect.stringContaining(`(kept in ${r.logs.fileOf('blog')})`) });
    expect(r.logs.fileOf('blog')).toMatch(/\/blog\.log$/);
  }, 30_000);
});
