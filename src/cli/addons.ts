// Why: what the add-on commands share: the streamed "Doing… done" call, Heroku's add-on table with its
// `└─ as DATABASE` lines, and running a client tool (psql, redis-cli) in the user's terminal.
import { spawn } from 'node:child_process';
import type { AddonView } from '../core/addons.js';
import { MinikError } from '../core/errors.js';
import { Action } from './action.js';
import { signalExitCode } from './attach.js';
import { request, stream } from './client.js';
import type { Palette } from './color.js';
import { relativeTime, table } from './format.js';

/** A streamed request shown as one progress line; streamed lines (release phase) print in between. */
export async function streamAction<T>(label: string, method: string, path: string, body: unknown, suffix?: (r: T) => string): Promise<T> {
  await request('GET', '/daemon'); // starts the daemon first, so its "Starting minik daemon… done" does not split the line
  const action = new Action(label).start();
  try {
    const done = await stream<T>(method, path, body, (e) => { if (e.event === 'log') action.log(e.line); }, { what: 'command' });
    action.done(suffix ? suffix(done) : '');
    return done;
  } catch (err) {
    action.fail();
    throw err;
  }
}

/** How long a connection may take before the CLI says it is waiting: a restarted server is usually up within it. */
export const WAIT_NOTICE_MS = 500;

/**
 * An add-on's connection (pg:psql, redis:cli). The daemon answers once the server accepts queries (after a daemon
 * start, once the app is recovered too); when that takes a while, "Waiting for DATABASE on ⬢ app to accept
 * connections... done" on stderr says why nothing happens.
 */
export async function addonConnection<T>(path: string, label: string, noticeMs = WAIT_NOTICE_MS): Promise<T> {
  await request('GET', '/daemon'); // starts the daemon first, so its "Starting minik daemon… done" is not inside the line
  let action = null as Action | null; // set by the timer
  const timer = setTimeout(() => { action = new Action(`Waiting for ${label} to accept connections`).start(); }, noticeMs);
  try {
    const c = await request<T>('GET', path);
    action?.done();
    return c;
  } catch (err) {
    action?.fail();
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** `, v4` after a step that cut a release. */
export const releaseSuffix = (r: { release?: number | null }) => (typeof r.release === 'number' ? `, v${r.release}` : '');

/** The STATE cell of an add-on. */
export function addonState(a: AddonView, p: Palette): string {
  if (a.state === 'up') return p.green('up');
  if (a.state === 'crashed') return p.red('crashed');
  return a.state === 'down' ? p.dim('down') : p.yellow(a.state);
}

/** `minik addons`: one row per add-on, then one `└─ as NAME` row per attachment (naming other apps). */
export function addonTable(addons: AddonView[], p: Palette, opts: { app?: string; owner?: boolean } = {}): string {
  const rows: string[][] = [];
  for (const a of addons) {
    rows.push([...(opts.owner ? [a.app] : []), `${a.service} (${p.bold(a.name)})`, a.plan.split(':')[1] ?? a.plan, addonState(a, p), String(a.port)]);
    for (const att of a.attachments) {
      const where = att.app === opts.app ? '' : ` on ${att.app}`;
      rows.push([...(opts.owner ? [''] : []), p.dim(` └─ as ${att.name}${where}`), '', '', '']);
    }
  }
  return table([...(opts.owner ? ['Owning app'] : []), 'Add-on', 'Plan', 'State', 'Port'], rows, p);
}

/** `minik ps`'s add-on section: each server's state, uptime, restarts, pid and port. */
export function addonProcessTable(addons: AddonView[], p: Palette, now = Date.now()): string {
  const rows = addons.map((a) => [a.name, addonState(a, p), a.since ? relativeTime(a.since, now) : '', String(a.restarts),
    a.pid === null ? '' : String(a.pid), String(a.port), a.service]);
  return table(['NAME', 'STATE', 'SINCE', 'RESTARTS', 'PID', 'PORT', 'SERVICE'], rows, p);
}

/** Runs a client tool attached to this terminal and resolves with its exit code. */
export function runTool(file: string, args: string[], env: Record<string, string>, input?: 'inherit'): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: input ?? 'inherit', env: { ...process.env, ...env } });
    // Ctrl-C belongs to the tool (psql cancels its query); minik only waits for it.
    const ignore = () => undefined;
    process.on('SIGINT', ignore);
    child.once('error', (err) => { process.off('SIGINT', ignore); reject(new MinikError(`could not run ${file}: ${err.message}`)); });
    child.once('exit', (code, signal) => {
      process.off('SIGINT', ignore);
      resolve(code ?? signalExitCode((signal ?? 'SIGTERM') as NodeJS.Signals));
    });
  });
}
