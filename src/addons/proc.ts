// Why: an add-on server must be found again after a daemon crash and never confused with a stranger: its pid
// file names it, and its environment marker (MINIK_ADDON=<data dir>) or its working directory proves it ours.
import { readFileSync, readlinkSync } from 'node:fs';
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
