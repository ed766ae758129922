// Why: 10-minute rows are made from the stored 1-minute rows. Percentiles of different minutes cannot be
// merged exactly, so a 10-minute p50/p95/p99 is the request-weighted mean of its minutes' values (max is exact).
import type { AppMetrics, DynoMetrics } from '../core/metrics.js';

/** The 10-minute window (epoch ms) a time falls in. */
export function tenMinutesOf(t: number): number {
  return t - (t % 600_000);
}

/** Combines the minute rows of one app and window into its 10-minute row. */
export function rollupApp(app: string, at: number, rows: AppMetrics[]): AppMetrics {
  const sum = (k: 'requests' | 'c2xx' | 'c3xx' | 'c4xx' | 'c5xx' | 'bytes') => rows.reduce((n, r) => n + r[k], 0);
  const errors: Record<string, number> = {};
  for (const r of rows) for (const [code, n] of Object.entries(r.errors)) errors[code] = (errors[code] ?? 0) + n;
  const weighted = (k: 'p50' | 'p95' | 'p99'): number | null => {
    const timed = rows.filter((r) => r[k] !== null);
    const w = timed.reduce((n, r) => n + Math.max(1, r.requests), 0);
    return timed.length === 0 ? null : Math.round(timed.reduce((n, r) => n + (r[k] as number) * Math.max(1, r.requests), 0) / w);
  };
  const maxes = rows.map((r) => r.max).filter((m): m is number => m !== null);
  return {
    app, res: 10, at, requests: sum('requests'), c2xx: sum('c2xx'), c3xx: sum('c3xx'), c4xx: sum('c4xx'), c5xx: sum('c5xx'),
    errors, p50: weighted('p50'), p95: weighted('p95'), p99: weighted('p99'), max: maxes.length ? Math.max(...maxes) : null, bytes: sum('bytes'),
  };
}

/** Combines minute rows of many apps/dynos into 10-minute rows (peak RSS, mean CPU, summed counts). */
export function rollupWindow(at: number, apps: AppMetrics[], dynos: DynoMetrics[]): { apps: AppMetrics[]; dynos: DynoMetrics[] } {
  const byApp = groupBy(apps, (r) => r.app);
  const byDyno = groupBy(dynos, (r) => `${r.app}\0${r.dyno}`);
  return {
    apps: [...byApp].map(([app, rows]) => rollupApp(app, at, rows)),
    dynos: [...byDyno.values()].map((rows) => ({
      app: rows[0]!.app, dyno: rows[0]!.dyno, res: 10, at,
      rss: Math.max(...rows.map((r) => r.rss)),
      cpu: Math.round((rows.reduce((n, r) => n + r.cpu, 0) / rows.length) * 10) / 10,
      restarts: rows.reduce((n, r) => n + r.restarts, 0),
      stateChanges: rows.reduce((n, r) => n + r.stateChanges, 0),
    })),
  };
}

function groupBy<T>(rows: T[], key: (r: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}
