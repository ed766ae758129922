// Why: `minik metrics` and the dashboard describe a range of rows the same way.
import { invalid } from '../core/errors.js';
import type { AppMetrics } from '../core/metrics.js';

/** `--since 1h` → ms. Accepts Nm, Nh, Nd up to 7 days. */
export function parseSince(text: string): number {
  const m = /^(\d+)([mhd])$/.exec(text.trim());
  const ms = m ? Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'm' | 'h' | 'd'] : NaN;
  if (!m || ms <= 0 || ms > 7 * 86_400_000) throw invalid(`--since '${text}' is not a duration up to 7 days`, 'use e.g. 30m, 1h, 24h or 7d');
  return ms;
}

/** One line over many rows: requests, error share, worst p95 and max, error codes. */
export function summarize(rows: AppMetrics[]): { requests: number; c5xx: number; p95: number | null; max: number | null; errors: Record<string, number> } {
  const errors: Record<string, number> = {};
  for (const r of rows) for (const [k, n] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + n;
  const p95s = rows.map((r) => r.p95).filter((v): v is number => v !== null);
  const maxes = rows.map((r) => r.max).filter((v): v is number => v !== null);
  return {
    requests: rows.reduce((n, r) => n + r.requests, 0),
    c5xx: rows.reduce((n, r) => n + r.c5xx, 0),
    p95: p95s.length ? Math.max(...p95s) : null,
    max: maxes.length ? Math.max(...maxes) : null,
    errors,
  };
}
