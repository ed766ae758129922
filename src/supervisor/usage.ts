// Why: `minik ps` shows memory and CPU per dyno, and R14/R15 need the memory of the whole process
// group, not just the shell at its head.
import { allStats, CLOCK_TICKS } from './procfs.js';
import { lines } from './messages.js';
import type { DynoUsage } from './types.js';

/** Why: one /proc scan sums RSS and CPU ticks for many process groups at once. */
export function groupTotals(pgids: Iterable<number>): Map<number, { rss: number; ticks: number }> {
  const totals = new Map<number, { rss: number; ticks: number }>();
  for (const pgid of pgids) totals.set(pgid, { rss: 0, ticks: 0 });
  for (const s of allStats()) {
    const t = s.state === 'Z' ? undefined : totals.get(s.pgid);
    if (!t) continue;
    t.rss += s.rssBytes;
    t.ticks += s.cpuTicks;
  }
  return totals;
}

/** Why: CPU percent is a rate, so it needs the previous sample of the same group. */
export class UsageSampler {
  /** `pgid:startTime` → last CPU ticks and when they were read. */
  #prev = new Map<string, { ticks: number; at: number }>();

  /** Current usage of each group; cpu is % of one core since the previous sample (0 on the first). */
  sample(groups: { pgid: number; startTime: number | null }[], now = Date.now()): Map<number, DynoUsage> {
    const totals = groupTotals(groups.map((g) => g.pgid));
    const out = new Map<number, DynoUsage>();
    const seen = new Set<string>();
    for (const g of groups) {
      const t = totals.get(g.pgid)!;
      const key = `${g.pgid}:${g.startTime}`;
      const prev = this.#prev.get(key);
      const seconds = prev ? (now - prev.at) / 1000 : 0;
      const cpu = prev && seconds > 0 ? Math.max(0, ((t.ticks - prev.ticks) / CLOCK_TICKS / seconds) * 100) : 0;
      out.set(g.pgid, { rss: t.rss, cpu: Math.round(cpu * 10) / 10 });
      this.#prev.set(key, { ticks: t.ticks, at: now });
      seen.add(key);
    }
    for (const key of this.#prev.keys()) if (!seen.has(key)) this.#prev.delete(key);
    return out;
  }
}

const R14_EVERY_MS = 60_000;

/**
 * Why: the R14/R15 decision as data: lines to log, when R14 was last logged, and whether to kill. `mayKill` is
 * false while the dyno boots: then only R14 applies, so whether a deploy's preboot succeeds cannot depend on
 * when a sample happens to fall (a dyno stuck booting is the boot timeout's, R10).
 */
export function memoryVerdict(
  rss: number,
  limit: number,
  lastR14At: number,
  now: number,
  mayKill = true,
): { log: string[]; lastR14At: number; kill: boolean } {
  if (rss <= limit) return { log: [], lastR14At, kill: false };
  const kill = mayKill && rss > 2 * limit;
  const r14 = now - lastR14At >= R14_EVERY_MS;
  const log = [
    ...(kill || r14 ? [lines.memory(rss, limit)] : []),
    ...(r14 ? [lines.r14] : []),
    ...(kill ? [lines.r15, lines.sigkill] : []),
  ];
  return { log, lastR14At: r14 ? now : lastR14At, kill };
}
