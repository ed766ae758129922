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
  /** A kernel thread (PF_KTHREAD in field 9): it has no environment, so it never carries a marker. */
  kernel: boolean;
}

/** Field 9's PF_KTHREAD and PF_EXITING bits (include/linux/sched.h). */
const PF_KTHREAD = 0x00200000;
const PF_EXITING = 0x00000004;

/** The fields after the comm of a stat line, f[N - 3] being field N; the comm may hold spaces and parens. */
function statFields(text: string): string[] | null {
  const close = text.lastIndexOf(')');
  return close < 0 ? null : text.slice(close + 2).split(' ');
}

/** Why: parses one stat line; the comm field may hold spaces and parens, so split after the last ')'. */
export function parseStat(pid: number, text: string): ProcStat | null {
  const f = statFields(text);
  if (!f || f.length < 22) return null;
  return {
    pid,
    state: f[0]!,
    ppid: Number(f[1]),
    pgid: Number(f[2]),
    cpuTicks: Number(f[11]) + Number(f[12]),
    startTime: Number(f[19]),
    rssBytes: Number(f[21]) * PAGE_SIZE,
    kernel: (Number(f[6]) & PF_KTHREAD) !== 0,
  };
}

/**
 * What a process's environment is, for a reader of /proc/PID/environ that got nothing back: 'gone' (exited, exiting,
 * a zombie or a kernel thread), 'exec' (in the middle of an execve: the new memory map is in place but the environment
 * not copied into it yet, so env_end is still 0: the kernel's environ_read "ensures the process spawned far enough to
 * have an environment" by returning nothing), 'empty' (`env -i`: env_start == env_end), or 'set' (it has one: the read
 * raced an exec that replaced the map it had opened). Fields 50 and 51 are env_start and env_end (Linux 3.5+).
 */
export type EnvState = 'gone' | 'exec' | 'empty' | 'set';

/** Why: parses the EnvState out of one stat line (see EnvState). */
export function parseEnvState(text: string): EnvState {
  const f = statFields(text);
  if (!f || f.length < 7 || f[0] === 'Z' || f[0] === 'X' || (Number(f[6]) & (PF_KTHREAD | PF_EXITING)) !== 0) return 'gone';
  const start = Number(f[47] ?? 0);
  const end = Number(f[48] ?? 0);
  if (!(end > 0)) return 'exec';
  return end === start ? 'empty' : 'set';
}

/** A process's EnvState now. */
export function readEnvState(pid: number): EnvState {
  try {
    return parseEnvState(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return 'gone';
  }
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
