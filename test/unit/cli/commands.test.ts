// Commands run in-process through the yargs root against a fake daemon on a Unix socket.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildCli } from '../../../src/cli/root.js';
import { MinikError } from '../../../src/core/errors.js';

type Reply = (res: ServerResponse, body: string) => void;
const home = realpathSync(mkdtempSync(join(tmpdir(), 'minik-cmds-')));
const seen: Array<{ method: string; url: string; body: unknown }> = [];
let routes: Record<string, Reply> = {};
let server: Server;
let out = '';
let err = '';

const json = (value: unknown, status = 200): Reply => (res) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
const events = (...lines: unknown[]): Reply => (res) => {
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  res.end(lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
};

beforeAll(async () => {
  process.env.MINIK_HOME = home;
  process.env.MINIK_PORT = '7080';
  delete process.env.MINIK_APP;
  server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, body: body ? JSON.parse(body) : undefined });
      const reply = routes[`${req.method} ${req.url}`];
      if (reply) reply(res, body);
      else json({ error: { message: `no route ${req.method} ${req.url}`, code: 'not_found' } }, 404)(res, body);
    });
  });
  await new Promise<void>((r) => server.listen(join(home, 'minikd.sock'), r));
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(home, { recursive: true, force: true });
});
beforeEach(() => {
  seen.length = 0;
  routes = {};
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

const minik = (...args: string[]) => Promise.resolve().then(() => buildCli(args).parseAsync());

describe('config:set', () => {
  it('sends values byte for byte and prints the new release and the vars', async () => {
    routes['PATCH /apps/shop/config'] = events({ event: 'log', line: 'Running release command...' }, { event: 'done', release: 4, config: {} });
    await minik('config:set', '-a', 'shop', 'URL=a=b', 'PEM=line1\nline2', 'EMPTY=', 'N=007');
    expect(seen[0]).toEqual({ method: 'PATCH', url: '/apps/shop/config', body: { set: { URL: 'a=b', PEM: 'line1\nline2', EMPTY: '', N: '007' }, restart: true } });
    expect(err).toBe('Setting URL, PEM, EMPTY and N and restarting ⬢ shop... \nSetting URL, PEM, EMPTY and N and restarting ⬢ shop... done, v4\n');
    expect(out).toBe('Running release command...\nEMPTY:\nN:     007\nPEM:   line1\n       line2\nURL:   a=b\n');
  });

  it('passes --no-restart', async () => {
    routes['PATCH /apps/shop/config'] = events({ event: 'done', release: { version: 5 } });
    await minik('config:unset', 'A', '-a', 'shop', '--no-restart');
    expect(seen[0]!.body).toEqual({ unset: ['A'], restart: false });
    expect(err).toBe('Unsetting A on ⬢ shop... done, v5\n');
  });
});

describe('scale and ps', () => {
  it('resolves relative changes against the formation', async () => {
    routes['GET /apps/shop/formation'] = json([{ type: 'web', quantity: 1, command: 'npm start' }, { type: 'worker', quantity: 2, command: 'node w.js' }]);
    routes['PATCH /apps/shop/formation'] = json([{ type: 'web', quantity: 2, command: 'npm start' }, { type: 'worker', quantity: 0, command: 'node w.js' }]);
    await minik('scale', 'web+1', 'worker=0', '-a', 'shop');
    expect(seen.map((s) => [s.method, s.body])).toEqual([['GET', undefined], ['PATCH', { web: 2, worker: 0 }]]);
    expect(err).toBe('Scaling dynos... done, now running web at 2, worker at 0\n');
  });

  it('prints the formation without arguments', async () => {
    routes['GET /apps/shop/formation'] = json([{ type: 'web', quantity: 1, command: 'a' }, { type: 'worker', quantity: 0, command: 'b' }]);
    await minik('ps:scale', '-a', 'shop');
    expect(out).toBe('web=1 worker=0\n');
  });

  it('shows dynos in one table, crashed ones with their restart time', async () => {
    const now = Date.now();
    const dyno = { type: 'web', pid: 4242, port: 5001, command: 'node server.js', since: new Date(now - 185_000).toISOString(), restarts: 0, release: 3, rss: 48 * 1024 * 1024, cpu: 12.34, nextRestartAt: null };
    routes['GET /apps/shop/dynos'] = json([
      { ...dyno, name: 'web.1', state: 'up' },
      { ...dyno, name: 'web.2', state: 'crashed', pid: null, port: null, rss: null, cpu: null, restarts: 2, nextRestartAt: new Date(now + 8_200).toISOString() },
    ]);
    routes['GET /apps/shop/autoscale'] = json([{ app: 'shop', type: 'web', min: 1, max: 5, p95: 1000 }]);
    await minik('ps', '-a', 'shop');
    expect(out.split('\n')).toEqual([
      'NAME   STATE                    SINCE   RESTARTS  PID   PORT  RSS    CPU    COMMAND',
      '─────  ───────────────────────  ──────  ────────  ────  ────  ─────  ─────  ──────────────',
      'web.1  up                       3m ago  0         4242  5001  48 MB  12.3%  node server.js',
      'web.2  crashed (restart in 8s)  3m ago  2                                   node server.js',
      '',
      'Autoscaling web: 1 to 5 dynos, p95 target 1000ms',
      '',
    ]);
  });
});

describe('app resolution', () => {
  it("uses the app deployed from this folder, else says there is none", async () => {
    const cwd = process.cwd();
    const dir = join(home, 'proj');
    mkdirSync(dir, { recursive: true });
    process.chdir(dir);
    try {
      routes[`GET /apps?sourceDir=${encodeURIComponent(dir)}`] = json([]);
      routes[`GET /apps?under=${encodeURIComponent(dir)}`] = json([]);
      const e = await minik('releases').catch((x: unknown) => x);
      expect(e).toBeInstanceOf(MinikError);
      expect([(e as MinikError).message, (e as MinikError).hint]).toEqual(['no app was deployed from this folder or below it', "pass --app NAME (see 'minik apps'), or run 'minik up' (or 'minik git:remote -a NAME') here first"]);
      routes[`GET /apps?sourceDir=${encodeURIComponent(dir)}`] = json([{ name: 'proj' }]);
      routes['GET /apps/proj/maintenance'] = json({});
      routes['GET /apps/proj'] = json({ maintenance: true });
      await minik('maintenance');
      expect(out).toBe('on\n');
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('up', () => {
  it('refuses a missing folder', async () => {
    const e = (await minik('up', join(home, 'missing')).catch((x: unknown) => x)) as MinikError;
    expect(e.message).toBe(`folder '${join(home, 'missing')}' does not exist`);
  });

  it('names a new app after its folder, prints the build and the release', async () => {
    const dir = join(home, 'My Shop!');
    mkdirSync(dir, { recursive: true });
    routes[`GET /apps?sourceDir=${encodeURIComponent(dir)}`] = json([]);
    routes['POST /apps/my-shop/deploys'] = events({ event: 'log', line: '-----> Node.js app detected' }, { event: 'done', release: 1, url: 'http://my-shop.localhost:7080' });
    await minik('up', dir);
    expect(seen[1]).toEqual({ method: 'POST', url: '/apps/my-shop/deploys', body: { sourceDir: dir } });
    expect(out).toBe('-----> Node.js app detected\n-----> Released v1\n       http://my-shop.localhost:7080 deployed\n');
  });
});

describe('logs, run and daemon status', () => {
  it('passes filters and prints Heroku-format lines', async () => {
    routes['GET /apps/shop/logs?n=2&dyno=web.1&source=app'] = events({ time: '2026-11-23T08:00:00.677020+00:00', source: 'app', process: 'web.1', message: 'Listening on 5000' });
    await minik('logs', '-a', 'shop', '-n', '2', '--ps', 'web.1', '-s', 'app');
    expect(out).toBe('2026-11-23T08:00:00.677020+00:00 app[web.1]: Listening on 5000\n');
  });

  it('quotes a multi-word detached command', async () => {
    routes['POST /apps/shop/run'] = json({ name: 'run.1', pid: 99 });
    await minik('run', '-d', '-a', 'shop', '--', 'echo', 'a b');
    expect(seen[0]!.body).toEqual({ command: "echo 'a b'", detach: true });
    expect(err).toContain("Running `echo 'a b'` on ⬢ shop... up, run.1 (detached)\n");
  });

  it('runs an attached one-off in the given cwd and env and keeps its exit code', async () => {
    const cwd = join(home, 'slug');
    mkdirSync(cwd, { recursive: true });
    routes['POST /apps/shop/run'] = json({ name: 'run.2', cwd, env: { PATH: process.env.PATH, GREETING: 'hi there' }, command: 'echo "$GREETING" > out.txt; exit 3' });
    await minik('run', '-a', 'shop', '--', 'ignored-by-fake');
    expect(seen[0]!.body).toEqual({ command: 'ignored-by-fake', detach: false, pid: process.pid });
    expect(readFileSync(join(cwd, 'out.txt'), 'utf8')).toBe('hi there\n');
    expect(process.exitCode).toBe(3);
  });

  it('runs the wrapped script of an attached one-off, then deletes its copy of the slug', async () => {
    const scratch = join(home, 'runs', 'shop', 'run.3-1.2-ab');
    const cwd = join(scratch, 'app');
    mkdirSync(cwd, { recursive: true });
    const out = join(home, 'script-out.txt');
    routes['POST /apps/shop/run'] = json({ name: 'run.3', cwd, env: { PATH: process.env.PATH }, command: 'worker', script: `echo wrapped > ${out}`, scratch });
    await minik('run', '-a', 'shop', 'worker');
    expect(seen[0]!.body).toEqual({ command: 'worker', detach: false, pid: process.pid });
    expect(readFileSync(out, 'utf8')).toBe('wrapped\n');
    expect(existsSync(scratch)).toBe(false);
    expect(process.exitCode).toBe(0);
  });

  it('prints the daemon status as JSON', async () => {
    const info = { pid: 1, version: '0.1.0', socket: join(home, 'minikd.sock'), port: 7080, home, uptime: 5 };
    routes['GET /daemon'] = json(info);
    await minik('daemon', 'status', '--json');
    expect(JSON.parse(out)).toEqual({ running: true, ...info });
  });
});
