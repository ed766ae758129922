// Why: every process minik starts carries MINIK_OWNER in its environment, which its children inherit
// through setsid and double forks; reading /proc/PID/environ finds them all, and proves a process is
// ours before any signal (STYLE.md convention 13).
//
// A cgroup would hold them without relying on the environment, but a user process can only create one
// in a subtree delegated to it (systemd's Delegate=), which neither a login shell nor CI provides; the
// environment works for any user on any Linux. Its limit: a process that clears its environment, or
// overwrites it in memory (setproctitle, as PostgreSQL does), no longer shows the marker; those are
// still found through their process group, which stays proven while a marked member lives.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { allStats, mapSliced, type ProcStat } from './procfs.js';

/** The variable that carries the marker. */
export const OWNER_VAR = 'MINIK_OWNER';

/** Why: recovery reaps dynos and builds alike, but callers may ask for one kind. */
export type OwnerKind = 'dyno' | 'build';

/** The fields of a marker: `<home>:<boot>:<kind>:<app>:<name>:<nonce>`. */
export interface Owner {
  /** Hash of the MINIK_HOME folder: two homes on one machine never reap each other's processes. */
  home: string;
  /** /proc/sys/kernel/random/boot_id: no process of an earlier boot is alive, so none can be ours. */
  boot: string;
  kind: OwnerKind;
  app: string;
  /** Dyno name ('web.1') or build step ('build'). */
  name: string;
  /** Per process started: a restarted dyno's new process never matches its old marker. */
  nonce: string;
}

/** Why: a short, stable id for a MINIK_HOME path. */
export function homeId(home: string): string {
  return createHash('sha256').update(path.resolve(home)).digest('hex').slice(0, 12);
}

let cachedBoot: string | null = null;

/** This boot's id, without dashes; 'unknown' where /proc does not offer it. */
export function bootId(): string {
  if (cachedBoot === null) {
    try {
      cachedBoot = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim().replace(/-/g, '') || 'unknown';
    } catch {
      cachedBoot = 'unknown';
    }
  }
  return cachedBoot;
}

/** A fresh marker for one process minik is about to start. */
export function newMarker(o: { home: string; kind: OwnerKind; app: string; name: string }): string {
  return [homeId(o.home), bootId(), o.kind, o.app, o.name, randomBytes(6).toString('hex')].join(':');
}

/** The fields of a marker, or null when the text is not one. */
export function parseMarker(text: string): Owner | null {
  const f = text.split(':');
  if (f.length !== 6 || f.some((x) => x === '')) return null;
  const [home, boot, kind, app, name, nonce] = f as [string, string, string, string, string, string];
  if (kind !== 'dyno' && kind !== 'build') return null;
  return { home, boot, kind, app, name, nonce };
}

const NEEDLE = Buffer.from(`${OWNER_VAR}=`);

/** The MINIK_OWNER value in an environ block (NUL-separated), or null. */
export function markerIn(environ: Buffer): string | null {
  let at = 0;
  for (;;) {
    const i = environ.indexOf(NEEDLE, at);
    if (i < 0) return null;
    if (i === 0 || environ[i - 1] === 0) {
      const start = i + NEEDLE.length;
      const end = environ.indexOf(0, start);
      return environ.toString('utf8', start, end < 0 ? environ.length : end);
    }
    at = i + 1;
  }
}

/** The marker a process carries; null when it has none or is not readable (another user's, gone). */
export function readMarker(pid: number): string | null {
  try {
    return markerIn(fs.readFileSync(`/proc/${pid}/environ`));
  } catch {
    return null;
  }
}

/** A live process with its marker. */
export interface MarkedProcess extends ProcStat {
  marker: string;
}

/** Every live process (but this one) whose marker passes `accept`. */
export function markedProcesses(accept: (marker: string) => boolean, stats: ProcStat[] = allStats()): MarkedProcess[] {
  const live = others(stats);
  return withMarkers(live, live.map((s) => readMarker(s.pid)), accept);
}

/** markedProcesses without stalling the event loop (see mapSliced). */
export async function markedProcessesAsync(accept: (marker: string) => boolean, stats: ProcStat[]): Promise<MarkedProcess[]> {
  const live = others(stats);
  return withMarkers(live, await mapSliced(live, (s) => readMarker(s.pid)), accept);
}

/** The live processes but this one. */
function others(stats: ProcStat[]): ProcStat[] {
  return stats.filter((s) => s.state !== 'Z' && s.pid !== process.pid);
}

/** `live[i]` with `markers[i]`, where that marker passes `accept`. */
function withMarkers(live: ProcStat[], markers: (string | null)[], accept: (marker: string) => boolean): MarkedProcess[] {
  const out: MarkedProcess[] = [];
  live.forEach((s, i) => {
    const marker = markers[i];
    if (marker != null && accept(marker)) out.push({ ...s, marker });
  });
  return out;
}

/** Which apps a reaper looks at: all, one by name, or those a predicate accepts (e.g. apps no longer in the store). */
export type AppFilter = string | ((app: string) => boolean) | undefined;

/** Why: recovery proves a marker is this home's and this boot's before it signals anything. */
export function ownedBy(home: string, kinds: readonly OwnerKind[], app?: AppFilter): (marker: string) => boolean {
  const id = homeId(home);
  const boot = bootId();
  const appOk = app === undefined ? () => true : typeof app === 'string' ? (a: string) => a === app : app;
  return (marker) => {
    const o = parseMarker(marker);
    return o !== null && o.home === id && o.boot === boot && kinds.includes(o.kind) && appOk(o.app);
  };
}
