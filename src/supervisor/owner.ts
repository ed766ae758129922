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
import { allStats, mapSliced, readEnvState, type EnvState, type ProcStat } from './procfs.js';

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

/** Why: a scan reads two things of a process; tests inject their own reader. */
export interface ProcReader {
  /** /proc/PID/environ; null when the process is gone or not ours to read. */
  environ(pid: number): Buffer | null;
  /** Why it read back empty (see EnvState). */
  envState(pid: number): EnvState;
}

/** The real reads, from /proc. */
export const procReader: ProcReader = {
  environ: (pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/environ`);
    } catch {
      return null;
    }
  },
  envState: readEnvState,
};

/** What a scan read of a process caught in the middle of an execve, whose environment is not readable yet. */
export const IN_EXEC: unique symbol = Symbol('in exec');

/** A process's marker as one read finds it: the marker, null (none, not readable, gone), or IN_EXEC. */
export type MarkerReading = string | null | typeof IN_EXEC;

/**
 * The marker a process carries. Why the second look when its environment reads back empty: a process in the middle of
 * an execve shows none (procfs.ts EnvState), and a scan that took that for "no marker" missed a leftover for good. It
 * costs one stat read for the few processes with no environment; kernel threads are skipped with no read at all.
 */
export function markerOf(s: ProcStat, io: ProcReader = procReader): MarkerReading {
  if (s.kernel) return null;
  for (let tries = 0; tries < 3; tries++) {
    const env = io.environ(s.pid);
    if (env === null || env.length > 0) return env && markerIn(env);
    const state = io.envState(s.pid);
    if (state === 'exec') return IN_EXEC;
    if (state !== 'set') return null; // gone, or an empty environment
    // Set up and not empty: this read had opened the memory map an exec then replaced; read the new one.
  }
  return IN_EXEC;
}

/** A live process with its marker. */
export interface MarkedProcess extends ProcStat {
  marker: string;
}

/** One pass over some processes: those whose marker passes `accept`, and those caught mid-exec (marker unknown). */
export interface MarkerScan {
  marked: MarkedProcess[];
  inExec: ProcStat[];
}

/** One synchronous pass over every live process (but this one); a process caught mid-exec is listed in `inExec`. */
export function scanMarkers(accept: (marker: string) => boolean, stats: ProcStat[] = allStats(), io: ProcReader = procReader): MarkerScan {
  const live = others(stats);
  return collect(live, live.map((s) => markerOf(s, io)), accept);
}

/** Every live process (but this one) whose marker passes `accept`, from one pass (see markedProcessesAsync). */
export function markedProcesses(accept: (marker: string) => boolean, stats: ProcStat[] = allStats()): MarkedProcess[] {
  return scanMarkers(accept, stats).marked;
}

/** How long a scan keeps reading a process caught mid-exec before it gives up on its marker. */
const EXEC_WAIT_MS = 2000;
/** The longest pause between those reads. */
const EXEC_POLL_MAX_MS = 50;

/**
 * markedProcesses without stalling the event loop (see mapSliced), and with no process caught mid-exec left unread:
 * those are read again after 1 ms, then 2, 4… (at most EXEC_POLL_MAX_MS), until they show their environment or
 * EXEC_WAIT_MS passed. Measured on 2 loaded cores (load 2): a process exec'ing /bin/sh in a loop read back empty in
 * 2.8% of reads, each such window lasting 0.05 ms at the median, 3.6 ms at the 99th percentile, 19 ms at most.
 * A scan that catches no process mid-exec, the common case, waits for nothing.
 */
export async function markedProcessesAsync(accept: (marker: string) => boolean, stats: ProcStat[], io: ProcReader = procReader): Promise<MarkedProcess[]> {
  const live = others(stats);
  const readings = await mapSliced(live, (s) => markerOf(s, io));
  const deadline = Date.now() + EXEC_WAIT_MS;
  for (let pause = 1; readings.includes(IN_EXEC) && Date.now() < deadline; pause = Math.min(pause * 2, EXEC_POLL_MAX_MS)) {
    await new Promise((resolve) => setTimeout(resolve, pause));
    readings.forEach((r, i) => {
      if (r === IN_EXEC) readings[i] = markerOf(live[i]!, io);
    });
  }
  return collect(live, readings, accept).marked;
}

/** The live processes but this one. */
function others(stats: ProcStat[]): ProcStat[] {
  return stats.filter((s) => s.state !== 'Z' && s.pid !== process.pid);
}

/** `live[i]` with `readings[i]`, where that marker passes `accept`; those still mid-exec apart. */
function collect(live: ProcStat[], readings: MarkerReading[], accept: (marker: string) => boolean): MarkerScan {
  const scan: MarkerScan = { marked: [], inExec: [] };
  live.forEach((s, i) => {
    const r = readings[i];
    if (r === IN_EXEC) scan.inExec.push(s);
    else if (r != null && accept(r)) scan.marked.push({ ...s, marker: r });
  });
  return scan;
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
