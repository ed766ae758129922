// Why: every e2e test drives the real bin/minik against its own MINIK_HOME and router port, and stops
// what it started, checking that no dyno process outlives the daemon.
import { execa, type Result } from 'execa';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { groupMembers, isAlive } from '../../src/supervisor/procfs.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin/minik');
export const FIXTURES = join(ROOT, 'fixtures');

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export interface Minik {
  home: string;
  port: number;
  env: Record<string, string>;
  run(args: string[], opts?: { cwd?: string; input?: string; timeout?: number; env?: Record<string, string> }): Promise<Result>;
  get(app: string, path?: string, headers?: Record<string, string>): Promise<HttpAnswer>;
  daemonPid(): Promise<number | null>;
  stop(): Promise<void>;
}

/** Starts nothing yet: the first command auto-starts the daemon, as for a user. */
export async function minik(extraEnv: Record<string, string> = {}): Promise<Minik> {
  const home = await mkdtemp(join(tmpdir(), 'minik-e2e-'));
  const port = await freePort();
  const env = {
    MINIK_HOME: home, MINIK_PORT: String(port), MINIK_DASHBOARD_PORT: String(await freePort()), MINIK_HTTPS_PORT: String(await freePort()), MINIK_STOP_TIMEOUT: '3', MINIK_BOOT_TIMEOUT: '20',
    MINIK_BACKOFF_BASE_MS: '200', NO_COLOR: '1', ...extraEnv,
  };
  const m: Minik = {
    home, port, env,
    run: (args, opts = {}) => execa(process.execPath, [BIN, ...args], {
      env: { ...env, ...opts.env }, cwd: opts.cwd ?? home, reject: false, timeout: opts.timeout ?? 120_000,
      input: opts.input, stdin: opts.input === undefined ? 'ignore' : undefined,
    }),
    get: (app, path = '/', headers = {}) => httpGet(port, `${app}.localhost`, path, headers),
    daemonPid: async () => {
      const r = await m.run(['daemon', 'status', '--json']);
      return r.exitCode === 0 ? (JSON.parse(String(r.stdout)) as { pid: number }).pid : null;
    },
    stop: async () => {
      const pgids = await dynoGroups(home);
      const pid = await m.daemonPid();
      await m.run(['daemon', 'stop']);
      if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
      for (const g of pgids) if (groupAlive(g)) { try { process.kill(-g, 'SIGKILL'); } catch { /* gone */ } throw new Error(`dyno group ${g} outlived 'minik daemon stop'`); }
      await rm(home, { recursive: true, force: true });
    },
  };
  return m;
}

/** GET through the router with a Host header (glibc here does not resolve *.localhost). */
export function httpGet(port: number, host: string, path = '/', headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return new Promise((resolveP, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host, ...headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolveP({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error(`GET ${host}${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** Process groups of the dynos minik recorded (read from ps --json would need the daemon; SQLite is simpler). */
async function dynoGroups(home: string): Promise<number[]> {
  const { default: Database } = await import('better-sqlite3');
  try {
    const db = new Database(join(home, 'minik.db'), { readonly: true, fileMustExist: true });
    const rows = db.prepare('SELECT pgid FROM dynos').all() as { pgid: number }[];
    db.close();
    return rows.map((r) => r.pgid).filter((g) => g > 0);
  } catch {
    return [];
  }
}

/**
 * True while a live (non-zombie) process of the group exists. Zombies count as gone: they have exited, and
 * in this sandbox PID 1 does not reap children re-parented to it, so kill(-pgid, 0) alone would lie.
 */
export function groupAlive(pgid: number): boolean {
  return groupMembers(pgid).length > 0;
}

/** True while the process exists and is not a zombie. */
export const alive = (pid: number): boolean => isAlive(pid);

/** A private copy of a fixture, so a test may edit it. */
export async function copyFixture(name: string, into: string): Promise<string> {
  const dir = join(into, name);
  await cp(join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

/** Polls fn until it returns a truthy value or the time runs out. */
export async function until<T>(fn: () => Promise<T> | T, what: string, timeoutMs = 20_000, everyMs = 50): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** Reads a file and parses it as JSON. */
export async function readJsonFile<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T;
}

/** Keeps `workers` keep-alive request loops running until stop() and counts outcomes. */
export function load(port: number, host: string, workers = 4) {
  const agent = new Agent({ keepAlive: true, maxSockets: workers });
  let running = true;
  const stats = { ok: 0, failed: 0, errors: [] as string[] };
  const one = () => new Promise<void>((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { host }, agent }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode === 200) stats.ok++;
        else { stats.failed++; stats.errors.push(`status ${res.statusCode}`); }
        resolve();
      });
    });
    req.on('error', (err) => { stats.failed++; stats.errors.push(err.message); resolve(); });
    req.end();
  });
  const loops = Array.from({ length: workers }, async () => { while (running) await one(); });
  return { stats, stop: async () => { running = false; await Promise.all(loops); agent.destroy(); return stats; } };
}
