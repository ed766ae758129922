// Why: the router's per-request work is one call here: counters and a bounded list of service times, so
// the hot path allocates nothing and percentiles are exact up to SAMPLE_LIMIT requests a minute.
import type { AppMetrics } from '../core/metrics.js';

/** Service times kept per app and minute; beyond this a uniform reservoir sample keeps the percentiles honest. */
export const SAMPLE_LIMIT = 10_000;

/** The facts of one request the metrics need (a subset of the router's RequestFacts). */
export interface RequestSample {
  code: string | null;
  status: number;
  /** ms, or -1 when no dyno was contacted. */
  serviceMs: number;
  /** -1 when no dyno was contacted. */
  bytes: number;
}

/** Why: one minute of one app; `record` is O(1) and summary() sorts once when it is written. */
export class Bucket {
  requests = 0;
  c2xx = 0;
  c3xx = 0;
  c4xx = 0;
  c5xx = 0;
  bytes = 0;
  max = -1;
  readonly errors: Record<string, number> = {};
  readonly times: number[] = [];
  /** Timed requests seen (>= times.length once the reservoir is full). */
  timed = 0;
  /** Changed since it was last written. */
  dirty = false;

  constructor(readonly at: number, private readonly limit = SAMPLE_LIMIT) {}

  /** Counts one finished request; WebSocket upgrades (101) count but are not timed, as on Heroku. */
  record(s: RequestSample): void {
    this.requests++;
    this.dirty = true;
    const cls = Math.floor(s.status / 100);
    if (cls === 2) this.c2xx++;
    else if (cls === 3) this.c3xx++;
    else if (cls === 4) this.c4xx++;
    else if (cls >= 5) this.c5xx++;
    if (s.code !== null) this.errors[s.code] = (this.errors[s.code] ?? 0) + 1;
    if (s.bytes > 0) this.bytes += s.bytes;
    if (s.serviceMs < 0 || s.status === 101) return;
    if (s.serviceMs > this.max) this.max = s.serviceMs;
    addSample(this.times, ++this.timed, s.serviceMs, this.limit);
  }

  /** The stored form of this minute. */
  summary(app: string): AppMetrics {
    const sorted = Float64Array.from(this.times).sort();
    return {
      app, res: 1, at: this.at, requests: this.requests, c2xx: this.c2xx, c3xx: this.c3xx, c4xx: this.c4xx, c5xx: this.c5xx,
      errors: { ...this.errors }, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99),
      max: this.max < 0 ? null : this.max, bytes: this.bytes,
    };
  }
}

/** Why: Algorithm R — the n-th value replaces a random slot with probability limit/n, so every value is equally likely kept. */
export function addSample(into: number[], n: number, value: number, limit: number, random = Math.random): void {
  if (into.length < limit) into.push(value);
  else {
    const j = Math.floor(random() * n);
    if (j < limit) into[j] = value;
  }
}

/** Nearest-rank percentile of an ascending list; null when empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** The minute (epoch ms) a time falls in. */
export function minuteOf(t: number): number {
  return t - (t % 60_000);
}
