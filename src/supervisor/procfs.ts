// Why: dyno process groups, trees, memory and CPU are read straight from Linux's /proc, with no
// dependency and no `ps` per sample.
import fs from 'node:fs';
import { slicer } from '../core/files.js';

/** Why: /proc/PID/stat reports RSS in pages; minik assumes the common 4 KiB page. */
export const PAGE_SIZE = 4096;
/** Why: utime, stime and starttime are in clock ticks; USER_HZ is 100 on every Linux minik targets. */
export const CLOCK_TICKS = 100;

/** Why: the few /proc/PID/stat fields the supervisor needs, by name instead of by index. */
export interface ProcStat {
  pid: number;
  /** One letter: R, S, D, Z (zombie), T, ... */
  state: string;
  ppid: number;
  pgid: number;
  /** utime + stime in clock ticks. */
  cpuTicks: number;
  /** Field 22: start time in clock ticks since boot. */
  startTime: number;
  rssBytes: number;
}

/** Why: parses one stat line; the comm field may hold spaces and parens, so split after the last ')'. */
export function parseStat(pid: number, text: string): ProcStat | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  // f[0] is field 3 (state); field N is f[N - 3].
  const f = text.slice(close + 2).split(' ');
  if (f.length < 22) return null;
  return {
    pid,
    state: f[0]!,
    ppid: Number(f[1]),
    pgid: Number(f[2]),
    cpuTicks: Number(f[11]) + Number(f[12]),
    startTime: Number(f[19]),
    rssBytes: Number(f[21]) * PAGE_SIZE,
  };
}

/** Why: one process's stat, or null once it is gone. */
export function readStat(pid: number): ProcStat | null {
  try {
    return parseStat(pid, fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** Why: group and tree scans need every process at once; one pass over /proc serves them all. */
export function allStats(): ProcStat[] {
  return procPids().map(readStat).filter((s) => s !== null);
}

/** The pids listed in /proc now. */
function procPids(): number[] {
  return fs.readdirSync('/proc').filter((n) => n.charCodeAt(0) >= 48 && n.charCodeAt(0) <= 57).map(Number);
}

/**
 * Why: `f` over every item, synchronously, yielding to the event loop between slices (core/files.ts slicer); results in
 * order. A /proc file is generated on read and its read takes microseconds: a thread-pool read (open, fstat, read
 * to the end, close, each a round trip) cost five to eight times the CPU of a synchronous one, on the cores the new
 * dyno needed for its first requests. Slices keep the router answering between them.
 */
export async function mapSliced<T, R>(items: readonly T[], f: (item: T) => R): Promise<R[]> {
  const out: R[] = [];
  const step = slicer();
  for (const item of items) {
    out.push(f(item));
    await step();
  }
  return out;
}

/**
 * allStats without stalling the event loop. Why: a pass over /proc takes tens of ms on a machine with many
 * processes, and a dyno stop makes one right after the router switched to the new release.
 */
export async function allStatsAsync(): Promise<ProcStat[]> {
  return (await mapSliced(procPids(), readStat)).filter((s) => s !== null);
}

/** Why: /proc/PID/stat field 22 tells a reused pid apart from the process a record names. */
export function processStartTime(pid: number): number | null {
  return readStat(pid)?.startTime ?? null;
}

/** Why: a zombie has exited already; with a start time, a reused pid does not count as alive. */
export function isAlive(pid: number, startTime?: number | null): boolean {
  const st = readStat(pid);
  if (!st || st.state === 'Z') return false;
  return startTime == null || st.startTime === startTime;
}

/** Why: a dyno is its process group; these are its live (non-zombie) members. */
export function groupMembers(pgid: number, stats: ProcStat[] = allStats()): ProcStat[] {
  return stats.filter((s) => s.pgid === pgid && s.state !== 'Z');
}

/** Why: descendants that left the group (setsid) still belong to the dyno. */
export function descendants(pid: number, stats: ProcStat[] = allStats()): ProcStat[] {
  const children = new Map<number, ProcStat[]>();
  for (const s of stats) {
    const list = children.get(s.ppid);
    if (list) list.push(s);
    else children.set(s.ppid, [s]);
  }
  const out: ProcStat[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      if (child.state !== 'Z') out.push(child);
      queue.push(child.pid);
    }
  }
  return out;
}
