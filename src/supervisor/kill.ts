// Why: stopping a dyno or a build step means every process it started, not just the first one: the
// processes carrying its marker (also those that setsid'ed or double-forked away), the process groups
// they lead or share, and the leader's tree. SIGTERM, a grace period, then SIGKILL — and nothing
// resolves while any of them remains. A group is signalled only while it is proven ours.
import treeKillCb from 'tree-kill';
import { markedProcessesAsync, scanMarkers, type MarkedProcess } from './owner.js';
import { allStats, allStatsAsync, descendants, isAlive, readStat, type ProcStat } from './procfs.js';

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

/** What to stop. */
export interface KillTarget {
  /** The leader minik started; 0 when only the marker is known. */
  pid: number;
  /** Its process group (== pid: each dyno and build step leads its own); 0 when unknown. */
  pgid: number;
  /** The leader's start time, when known: guards it against pid reuse. */
  startTime?: number | null;
  /** The MINIK_OWNER value its processes carry. Without one, the pgid is trusted as it is (legacy). */
  marker?: string;
  /** Recovery: the leader counts as ours only while it carries the marker too (not on start time alone). */
  strict?: boolean;
  /** 0 or less: SIGKILL at once, no SIGTERM. */
  graceMs: number;
  /** Called once when SIGTERM was not enough, before SIGKILL goes out. */
  onEscalate?: () => void;
}

/** What belongs to the target now: pid → start time, the groups proven ours, and whether the leader is. */
interface Found {
  procs: Map<number, number>;
  groups: Set<number>;
  leader: boolean;
}

const ownGroup = (): number => readStat(process.pid)?.pgid ?? process.pid;

/**
 * The processes carrying the marker; every member of a group that holds one of them (or whose leader is
 * the process we started); and the leader's tree. A group with no such member may be a stranger's that
 * reused the id, so it is left alone. Its reads are off the event loop: a stop must not stall the router
 * (see allStatsAsync); a process caught mid-exec is read again until it shows its marker (markedProcessesAsync).
 */
async function scanAsync(t: KillTarget): Promise<Found> {
  const stats = await allStatsAsync();
  return found(t, stats, t.marker ? await markedProcessesAsync((m) => m === t.marker, candidates(t, stats)) : []);
}

/**
 * The processes that may carry the target's marker: with the leader's start time known, only those started
 * since (start times count clock ticks since boot), as the marker did not exist before minik started the
 * leader and a process gets its environment when it starts. Why: reading every process's environ is the
 * costly part of a stop; on a redeploy it ran while the new dyno took its first requests, on the same cores.
 */
export function candidates(t: Pick<KillTarget, 'startTime'>, stats: ProcStat[]): ProcStat[] {
  const since = t.startTime;
  return since == null ? stats : stats.filter((s) => s.startTime >= since);
}

/** What scan() concludes from one pass over /proc. */
function found(t: KillTarget, stats: ProcStat[], marked: MarkedProcess[]): Found {
  const lead = t.pid > 1 ? stats.find((s) => s.pid === t.pid && s.state !== 'Z') : undefined;
  const leader = lead !== undefined && (t.startTime == null || lead.startTime === t.startTime) && (!t.strict || marked.some((m) => m.pid === t.pid));
  const groups = new Set(marked.map((m) => m.pgid));
  if (t.pgid > 1 && (leader || !t.marker)) groups.add(t.pgid);
  // Never minik's own group, nor init's or the kernel's.
  for (const g of [0, 1, ownGroup()]) groups.delete(g);
  const procs = new Map<number, number>();
  for (const s of stats) if (s.state !== 'Z' && s.pid !== process.pid && groups.has(s.pgid)) procs.set(s.pid, s.startTime);
  for (const m of marked) procs.set(m.pid, m.startTime);
  if (leader && lead) {
    procs.set(lead.pid, lead.startTime);
    for (const s of descendants(lead.pid, stats)) procs.set(s.pid, s.startTime);
  }
  return { procs, groups, leader };
}

/** The known processes still alive; once none are, a fresh scan for any started since. */
async function survivors(t: KillTarget, known: Map<number, number>): Promise<Map<number, number>> {
  const alive = new Map<number, number>();
  for (const [pid, start] of known) if (isAlive(pid, start)) alive.set(pid, start);
  if (alive.size === 0) for (const [pid, start] of (await scanAsync(t)).procs) alive.set(pid, start);
  return alive;
}

/** Polls until every known process and every proven group member is gone; false at the deadline. */
async function waitGone(t: KillTarget, known: Map<number, number>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    const alive = await survivors(t, known);
    if (alive.size === 0) return true;
    for (const [pid, start] of alive) known.set(pid, start);
    if (Date.now() >= deadline) return false;
    await sleep(POLL_MS);
  }
}

/** Signals each known process (if it is still the one we found) and each proven group. */
function signalAll(known: Map<number, number>, groups: Set<number>, signal: NodeJS.Signals): void {
  for (const [p, start] of known) if (isAlive(p, start)) sendSignal(p, signal);
  for (const g of groups) sendSignal(-g, signal);
}

/** Why: the one stop sequence, shared by dyno stop, R10, crash cleanup, build steps and recovery. */
export async function terminateGroup(t: KillTarget): Promise<{ escalated: boolean; found: number }> {
  // pid 0 or a negative pgid would signal minik's own group: never.
  if (t.pid < 0 || t.pgid < 0 || (t.pid > 0 && t.pid <= 1)) return { escalated: false, found: 0 };
  const first = await scanAsync(t);
  const known = first.procs;
  if (known.size === 0) return { escalated: false, found: 0 };
  const found = known.size;
  if (t.graceMs > 0) {
    signalAll(known, first.groups, 'SIGTERM');
    if (await waitGone(t, known, t.graceMs)) return { escalated: false, found };
  }
  t.onEscalate?.();
  const now = await scanAsync(t);
  if (now.leader) await treeKill(t.pid, 'SIGKILL');
  for (const [p, start] of now.procs) known.set(p, start);
  signalAll(known, now.groups, 'SIGKILL');
  await waitGone(t, known, KILL_WAIT_MS);
  return { escalated: true, found };
}

/**
 * Why: members of a group whose leader already exited (or marked processes that left it) outlive a crash. One
 * synchronous pass; a process it caught mid-exec may be one of them, so it answers yes and lets terminateGroup's
 * scan, which waits for that process's environment, decide.
 */
export function hasLeftovers(t: Pick<KillTarget, 'pid' | 'pgid' | 'marker'>): boolean {
  const target = { ...t, pid: 0, graceMs: 0 };
  const stats = allStats();
  if (!t.marker) return found(target, stats, []).procs.size > 0;
  const { marked, inExec } = scanMarkers((m) => m === t.marker, stats);
  return inExec.length > 0 || found(target, stats, marked).procs.size > 0;
}
