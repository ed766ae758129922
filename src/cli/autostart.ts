// Why: any command that needs the daemon starts it on first use, detached, logging to daemon.log, and
// reports the daemon's own reason (e.g. "port 7080 is in use") when it dies during start-up.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import { MinikError } from '../core/errors.js';
import { checkHome } from '../core/home.js';
import { join } from 'node:path';
import { daemonLogPath, minikHome, packageRoot, socketPath } from './paths.js';
import { isDaemonDown, readBody, send, tryParse } from './transport.js';

/** What `GET /daemon` answers. */
export interface DaemonInfo {
  pid: number; version: string; socket: string; port: number; home: string; uptime: number;
}

/**
 * A 2 MB young generation keeps the daemon under ~100 MB RSS after a burst of proxied requests (the default lets
 * it grow by 40 MB) and measured no throughput cost: the router's garbage is short-lived and small.
 * No allocation-site pretenuring: V8 may decide from one young collection that an allocation site's objects live
 * long and allocate them in the old generation from then on; each one, dead a moment later, still keeps the young
 * strings it points to alive through every young collection until a full GC. Under a 50 MB log burst with a
 * lagging `minik logs -t` (test/e2e/log-follower.test.ts) that promoted 35-60 MB of dead objects in 1 run in 3,
 * and the daemon grew by 35-50 MB instead of ~15; without it, 0 runs in 25. The router bench showed no difference.
 */
export const DAEMON_NODE_FLAGS = ['--max-semi-space-size=2', '--no-allocation-site-pretenuring'];

/** The compiled daemon entry point in dist/. */
export function daemonEntry(): string {
  return join(packageRoot(), 'dist', 'daemon', 'main.js');
}

/** `GET /daemon`, or null when no daemon listens on the socket. */
export async function pingDaemon(socket: string): Promise<DaemonInfo | null> {
  try {
    const res = await send({ socket, method: 'GET', path: '/daemon' });
    const body = tryParse(await readBody(res)) as DaemonInfo | undefined;
    return res.statusCode === 200 && body ? body : null;
  } catch (err) {
    if (isDaemonDown(err)) return null;
    throw err;
  }
}

/** Starts the daemon and waits until it answers; prints "Starting minik daemon… done" to stderr. */
export async function startDaemon(env: NodeJS.ProcessEnv = process.env, timeoutMs = 15_000): Promise<DaemonInfo> {
  const entry = daemonEntry();
  if (!existsSync(entry)) {
    throw new MinikError(`the minik daemon is not built: ${entry} is missing`, { hint: "run 'npm run build' in the minik folder" });
  }
  const home = minikHome(env);
  mkdirSync(home, { recursive: true, mode: 0o700 });
  checkHome(home); // before daemon.log is opened in it
  const log = daemonLogPath(env);
  const logStart = existsSync(log) ? statSync(log).size : 0;
  process.stderr.write('Starting minik daemon… ');
  const fd = openSync(log, 'a', 0o600);
  const child = spawn(process.execPath, [...DAEMON_NODE_FLAGS, entry], { cwd: home, env, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.unref();
  let exit: string | null = null;
  child.once('exit', (code, signal) => (exit = signal ?? `code ${code}`));
  child.once('error', (err) => (exit = err.message));
  try {
    const info = await waitForDaemon(socketPath(env), () => exit !== null, timeoutMs);
    process.stderr.write('done\n');
    return info;
  } catch (err) {
    process.stderr.write('failed\n');
    throw err instanceof WaitFailure ? startupError(err.reason, exit, log, logStart) : err;
  }
}

class WaitFailure extends Error {
  constructor(readonly reason: 'exited' | 'timeout') {
    super(reason);
  }
}

/** Polls `GET /daemon` every 25 ms until it answers, the child exits, or the time is up. */
async function waitForDaemon(socket: string, exited: () => boolean, timeoutMs: number): Promise<DaemonInfo> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const wasExited = exited();
    const info = await pingDaemon(socket);
    if (info) return info; // may be another CLI's daemon that won the race: fine
    if (wasExited) throw new WaitFailure('exited');
    if (Date.now() > deadline) throw new WaitFailure('timeout');
    await new Promise((r) => setTimeout(r, 25));
  }
}

function startupError(reason: 'exited' | 'timeout', exit: string | null, log: string, logStart: number): MinikError {
  const hint = `see ${log}`;
  if (reason === 'timeout') {
    return new MinikError(`the minik daemon did not answer within 15s (it may still be starting)`, { hint });
  }
  const said = lastLine(log, logStart);
  const hintLine = said?.startsWith('hint: ') ? said : null;
  const message = hintLine ? lastLine(log, logStart, 1) : said;
  return new MinikError(message ?? `the minik daemon exited (${exit}) before it answered`, {
    hint: hintLine ? `${hintLine.slice(6)} (more in ${log})` : hint,
    code: 'daemon_start',
  });
}

/**
 * The daemon's one-line reason from its log since `from`: the last non-empty line, or, when Node printed
 * an uncaught exception (stack frames, `Node.js vNN`), that exception's `XxxError: message` line.
 */
export function lastLine(file: string, from = 0, skip = 0): string | null {
  let text: string;
  try {
    text = readFileSync(file).subarray(from).toString('utf8');
  } catch {
    return null;
  }
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/^Node\.js v\d/.test(l));
  const crashed = lines.some((l) => /^at\s/.test(l));
  const last = lines[lines.length - 1 - skip];
  const line = crashed ? [...lines].reverse().find((l) => /^(\w+Error|Error)\b[^:]*:/.test(l)) ?? last : last;
  return line === undefined ? null : line.replace(/^minikd?:\s*/, '');
}
