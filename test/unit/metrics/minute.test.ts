import { describe, expect, it } from 'vitest';
import { addSample, Bucket, minuteOf, percentile } from '../../../src/metrics/minute.js';
import { rollupApp, rollupWindow } from '../../../src/metrics/rollup.js';
import { nextLoad, runtimeLines } from '../../../src/metrics/runtime.js';
import { parseSince, summarize } from '../../../src/metrics/summary.js';

const req = (status: number, serviceMs: number, code: string | null = null, bytes = 10) => ({ status, serviceMs, code, bytes });

describe('percentile', () => {
  it('is the nearest rank of an ascending list', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(xs, 50), percentile(xs, 95), percentile(xs, 99), percentile(xs, 100)]).toEqual([50, 95, 99, 100]);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });
});

describe('Bucket', () => {
  it('counts status classes, error codes and bytes, and times everything but WebSocket upgrades', () => {
    const b = new Bucket(minuteOf(90_000));
    expect(b.at).toBe(60_000);
    for (let i = 1; i <= 100; i++) b.record(req(200, i));
    b.record(req(302, 5));
    b.record(req(404, 5));
    b.record(req(503, 30_000, 'H12', -1));
    b.record(req(503, -1, 'H14', -1));
    b.record(req(101, 999_999));
    const s = b.summary('shop');
    expect(s).toMatchObject({ app: 'shop', res: 1, at: 60_000, requests: 105, c2xx: 100, c3xx: 1, c4xx: 1, c5xx: 2, errors: { H12: 1, H14: 1 }, max: 30_000, bytes: 1030 });
    // 103 timed values: 1..100, 5, 5, 30000
    expect(s.p50).toBe(50);
    expect(s.p99).toBe(100);
  });

  it('keeps a bounded uniform sample beyond its limit', () => {
    const b = new Bucket(0, 100);
    for (let i = 0; i < 10_000; i++) b.record(req(200, i % 2 === 0 ? 10 : 1000));
    expect(b.times).toHaveLength(100);
    expect(b.requests).toBe(10_000);
    const s = b.summary('a');
    expect(s.p50 === 10 || s.p50 === 1000).toBe(true);
    expect(s.p99).toBe(1000);
    expect(s.max).toBe(1000);
  });

  it('replaces a slot with probability limit/n (Algorithm R)', () => {
    const xs = [1, 2];
    addSample(xs, 3, 9, 2, () => 0.5); // j = 1 < 2: replaced
    expect(xs).toEqual([1, 9]);
    addSample(xs, 4, 8, 2, () => 0.9); // j = 3 >= 2: dropped
    expect(xs).toEqual([1, 9]);
  });
});

describe('rollup', () => {
  const row = (at: number, requests: number, p95: number | null, errors: Record<string, number> = {}) => ({
    app: 'a', res: 1 as const, at, requests, c2xx: requests, c3xx: 0, c4xx: 0, c5xx: 0, errors, p50: p95, p95, p99: p95, max: p95, bytes: requests,
  });
  it('sums counts, merges error codes, weights percentiles by requests and keeps the exact max', () => {
    const r = rollupApp('a', 600_000, [row(600_000, 30, 100, { H12: 1 }), row(660_000, 10, 500, { H12: 2, H10: 1 }), row(720_000, 0, null)]);
    expect(r).toMatchObject({ res: 10, at: 600_000, requests: 40, bytes: 40, errors: { H12: 3, H10: 1 }, p95: 200, max: 500 });
  });
  it('rolls dynos up to peak RSS and mean CPU', () => {
    const d = (at: number, rss: number, cpu: number) => ({ app: 'a', dyno: 'web.1', res: 1 as const, at, rss, cpu, restarts: 1, stateChanges: 2 });
    const r = rollupWindow(0, [], [d(0, 10, 10), d(60_000, 30, 20)]);
    expect(r.dynos).toEqual([{ app: 'a', dyno: 'web.1', res: 10, at: 0, rss: 30, cpu: 15, restarts: 2, stateChanges: 4 }]);
  });
});

describe('runtime metrics lines', () => {
  it("reads like Heroku's sample# lines", () => {
    const [mem, load] = runtimeLines('web.1', '1234', 21.22 * 1024 * 1024, 512 * 1024 * 1024, { m1: 2.456, m5: 1.06, m15: 0.99 });
    expect(mem).toBe('source=web.1 dyno=minik.1234 sample#memory_total=21.22MB sample#memory_rss=21.22MB sample#memory_cache=0.00MB sample#memory_swap=0.00MB sample#memory_pgpgin=0pages sample#memory_pgpgout=0pages sample#memory_quota=512.00MB');
    expect(load).toBe('source=web.1 dyno=minik.1234 sample#load_avg_1m=2.46 sample#load_avg_5m=1.06 sample#load_avg_15m=0.99');
  });
  it('smooths load toward the CPU in use, faster over 1 minute than 15', () => {
    const l = nextLoad({ m1: 0, m5: 0, m15: 0 }, 100, 60_000);
    expect(l.m1).toBeCloseTo(1 - Math.exp(-1));
    expect(l.m15).toBeLessThan(l.m5);
  });
});

describe('summary', () => {
  it('parses --since durations and refuses others', () => {
    expect(parseSince('30m')).toBe(1_800_000);
    expect(parseSince('7d')).toBe(604_800_000);
    expect(() => parseSince('8d')).toThrow(/--since '8d' is not a duration up to 7 days/);
    expect(() => parseSince('1 hour')).toThrow();
  });
  it('adds requests and codes, keeps the worst p95', () => {
    const base = { app: 'a', res: 1 as const, c2xx: 0, c3xx: 0, c4xx: 0, p50: 1, p99: 1, bytes: 0 };
    expect(summarize([
      { ...base, at: 0, requests: 3, c5xx: 1, errors: { H12: 1 }, p95: 40, max: 90 },
      { ...base, at: 1, requests: 2, c5xx: 0, errors: {}, p95: 70, max: 80 },
    ])).toEqual({ requests: 5, c5xx: 1, p95: 70, max: 90, errors: { H12: 1 } });
  });
});
