// Why: an add-on server must be found again after a daemon crash and never confused with a stranger: its pid
// file names it, and its environment marker (MINIK_ADDON=<data dir>) or its working directory proves it ours.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { groupMembers, isAlive } from '../supervisor/index.js';

/** The environment variable every add-on server carries; its value is the add-on's folder. */
export const MARKER = 'MINIK_ADDON';

/** The pid on the first line of a pid file (postmaster.pid, redis.pid), or null. */
export function readPidFile(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, 'utf8').split('\n')[0]!.trim());
    return Number.isInteger(pid) && pid > 1 ? pid : null;
  } catch {
    return null;
  }
}

/** True when the live process `pid` is this add-on's server: its marker names `dir`, or it runs in `dir` or below. */
export function isOurs(pid: number, dir: string): boolean {
  if (!isAlive(pid)) return false;
  try {
    const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    if (env.includes(`${MARKER}=${dir}`)) return true;
  } catch { /* gone, or not readable */ }
  try {
    const cwd = readlinkSync(`/proc/${pid}/cwd`);
    return cwd === dir || cwd.startsWith(`${dir}/`);
  } catch {
    return false;
  }
}

/** Why: a signal to a process that is already gone is not an error here. */
export function signal(pid: number, sig: NodeJS.Signals): void {
  try { process.kill(pid, sig); } catch { /* gone */ }
}

/** Waits until the process and its group are gone (zombies count as gone); false at the deadline. */
export async function waitGone(pid: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (isAlive(pid) || groupMembers(pid).length > 0) {
    if (Date.now() >= end) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
  return true;
}

/** Last resort: SIGKILL the server's whole process group (it leads its own), then wait briefly. */
export async function killGroup(pid: number): Promise<void> {
  signal(-pid, 'SIGKILL');
  signal(pid, 'SIGKILL');
  await waitGone(pid, 2000);
}

/**
 * Live processes of this MINIK_HOME's add-on folders (by marker, or by working folder where a server rewrote its
 * environment) whose add-on is not in `known`: servers left by an add-on whose record is gone.
 */
export function strayServers(home: string, known: ReadonlySet<string>): number[] {
  const root = `${home}/addons/`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid || !isAlive(pid)) continue;
    // The marker proves a process ours; a working folder only for the server programs (not a user's shell there).
    const dir = markerOf(pid) ?? (SERVER_COMMS.has(commOf(pid)) ? cwdOf(pid) : null);
    if (!dir?.startsWith(root)) continue;
    const name = dir.slice(root.length).split('/')[0]!;
    if (name && !known.has(name)) found.push(pid);
  }
  return found;
}

function markerOf(pid: number): string | null {
  try {
    const hit = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').find((e) => e.startsWith(`${MARKER}=`));
    return hit ? hit.slice(MARKER.length + 1) : null;
  } catch {
    return null;
  }
}

/** The programs add-on servers run as (/proc/PID/comm). */
const SERVER_COMMS = new Set(['postgres', 'redis-server']);

function commOf(pid: number): string {
  try { return readFileSync(`/proc/${pid}/comm`, 'utf8').trim(); } catch { return ''; }
}

function cwdOf(pid: number): string | null {
  try { return readlinkSync(`/proc/${pid}/cwd`); } catch { return null; }
}

/** Stops stray servers: SIGTERM, then after `graceMs` SIGKILL to whatever is left. */
export async function stopStrays(pids: number[], graceMs: number): Promise<void> {
  for (const pid of pids) signal(pid, 'SIGTERM');
  await Promise.all(pids.map(async (pid) => { if (!(await waitGone(pid, graceMs))) signal(pid, 'SIGKILL'); }));
}
