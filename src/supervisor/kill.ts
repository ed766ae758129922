// Why: stopping a dyno means every process it started, not just the shell: SIGTERM to the group and
// its tree, a grace period, then SIGKILL — and nothing resolves while any of them remains.
import treeKillCb from 'tree-kill';
import { allStats, descendants, groupMembers, isAlive, readStat } from './procfs.js';

const POLL_MS = 20;
/** How long to wait for SIGKILLed processes to vanish before giving up. */
const KILL_WAIT_MS = 2000;

/** Why: signalling a process that is already gone is not an error here. */
export function sendSignal(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Why: tree-kill finds children of `pid` that left its process group; it reports errors by callback. */
export function treeKill(pid: number, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => treeKillCb(pid, signal, () => resolve()));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * pid → start time of every process that belongs to the dyno now: its group, and the leader and its
 * tree when the leader is still the process we started (a reused pid is someone else's).
 */
function snapshot(pid: number, pgid: number, startTime: number | null | undefined): Map<number, number> {
  const stats = allStats();
  const found = new Map<number, number>();
  for (const s of groupMembers(pgid, stats)) found.set(s.pid, s.startTime);
  const leader = stats.find((s) => s.pid === pid && s.state !== 'Z');
  if (leader && (startTime == null || leader.startTime === startTime)) {
    found.set(pid, leader.startTime);
    for (const s of descendants(pid, stats)) found.set(s.pid, s.startTime);
  }
  return found;
}

/** The processes of the snapshot still alive, plus group members started since. */
function survivors(known: Map<number, number>, pgid: number, fullScan: boolean): Map<number, number> {
  const alive = new Map<number, number>();
  for (const [pid, start] of known) if (isAlive(pid, start)) alive.set(pid, start);
  if (alive.size === 0 && fullScan) for (const s of groupMembers(pgid)) alive.set(s.pid, s.startTime);
  return alive;
}

/** Polls until every known process and every group member is gone; false at the deadline. */
async function waitGone(known: Map<number, number>, pgid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    // Cheap per-pid checks first; the full /proc scan only once those are all gone.
    const alive = survivors(known, pgid, true);
    if (alive.size === 0) return true;
    for (const [pid, start] of alive) known.set(pid, start);
    if (Date.now() >= deadline) return false;
    await sleep(POLL_MS);
  }
}

/** Why: the one stop sequence, shared by dyno stop, R10, crash cleanup and orphan reaping. */
export async function terminateGroup(target: {
  pid: number;
  pgid: number;
  /** The leader's start time, when known: guards its tree against pid reuse. */
  startTime?: number | null;
  /** 0 or less: SIGKILL at once, no SIGTERM. */
  graceMs: number;
  /** Called once when SIGTERM was not enough, before SIGKILL goes out. */
  onEscalate?: () => void;
}): Promise<{ escalated: boolean; found: number }> {
  const { pid, pgid } = target;
  // pid 0 or a negative pgid would signal minik's own group: never.
  if (!(pid > 1 && pgid > 1)) return { escalated: false, found: 0 };
  const known = snapshot(pid, pgid, target.startTime);
  if (known.size === 0) return { escalated: false, found: 0 };
  if (target.graceMs > 0) {
    for (const p of known.keys()) if (readStat(p)?.pgid !== pgid) sendSignal(p, 'SIGTERM');
    sendSignal(-pgid, 'SIGTERM');
    if (await waitGone(known, pgid, target.graceMs)) return { escalated: false, found: known.size };
  }
  target.onEscalate?.();
  if (known.has(pid) && isAlive(pid, known.get(pid))) await treeKill(pid, 'SIGKILL');
  sendSignal(-pgid, 'SIGKILL');
  for (const [p, start] of survivors(known, pgid, true)) {
    if (isAlive(p, start)) sendSignal(p, 'SIGKILL');
  }
  await waitGone(known, pgid, KILL_WAIT_MS);
  return { escalated: true, found: known.size };
}

/** Why: the members of a group whose leader already exited, e.g. grandchildren of a crashed dyno. */
export function hasGroupMembers(pgid: number): boolean {
  return groupMembers(pgid).length > 0;
}

/** Why: a daemon restarted after SIGKILL stops the dynos an earlier daemon left running. */
export async function reapOrphans(
  records: { pid: number; pgid: number; startTime: number }[],
  graceMs: number,
): Promise<number> {
  const results = await Promise.all(records.map((r) => reapOne(r, graceMs)));
  return results.filter(Boolean).length;
}

async function reapOne(r: { pid: number; pgid: number; startTime: number }, graceMs: number): Promise<boolean> {
  if (!(r.pid > 1 && r.pgid > 1)) return false;
  const leader = readStat(r.pid);
  if (leader && leader.state !== 'Z') {
    // The pid is alive: only ours if it started when the record says (pid reuse guard).
    if (leader.startTime !== r.startTime) return false;
  } else {
    // The leader is gone; members of its group started no earlier than it are its leftovers.
    const left = groupMembers(r.pgid).filter((s) => s.startTime >= r.startTime);
    if (left.length === 0) return false;
  }
  const res = await terminateGroup({ pid: r.pid, pgid: r.pgid, startTime: r.startTime, graceMs });
  return res.found > 0;
}
