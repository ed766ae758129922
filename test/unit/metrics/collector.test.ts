import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Metrics } from '../../../src/metrics/index.js';
import type { Supervisor, LogHub } from '../../../src/supervisor/index.js';
import { tempStore, type TempStore } from '../store/helpers.js';

describe('Metrics collector', () => {
  let t: TempStore;
  let m: Metrics;
  beforeEach(() => {
    t = tempStore();
    t.store.createApp('shop', '/src/shop');
    const supervisor = Object.assign(new EventEmitter(), { list: () => [] }) as unknown as Supervisor;
    m = new Metrics({ store: t.store, supervisor, logs: { write() {} } as unknown as LogHub });
  });
  afterEach(() => t.cleanup());

  it('writes the current minute on flush, readable as a series', () => {
    for (let i = 1; i <= 20; i++) m.onRequest('shop', { status: i === 20 ? 500 : 200, serviceMs: i * 10, code: null, bytes: 100 });
    m.onRequest(null, { status: 404, serviceMs: -1, code: 'no_such_app', bytes: -1 });
    m.flush();
    const s = m.series('shop', Date.now() - 3_600_000);
    expect(s.res).toBe(1);
    expect(s.apps).toHaveLength(1);
    expect(s.apps[0]).toMatchObject({ requests: 20, c2xx: 19, c5xx: 1, p50: 100, p95: 190, max: 200, bytes: 2000 });
    // a second flush with nothing new writes nothing and changes nothing
    m.flush();
    expect(m.series('shop', Date.now() - 3_600_000).apps).toEqual(s.apps);
  });

  it("gives the autoscaler each window once", () => {
    for (let i = 1; i <= 100; i++) m.onRequest('shop', { status: 200, serviceMs: i, code: null, bytes: 1 });
    expect(m.takeWindow('shop')).toEqual({ requests: 100, p95: 95 });
    expect(m.takeWindow('shop')).toEqual({ requests: 0, p95: null });
  });

  it('rolls a closed 10-minute window up and prunes rows past retention', () => {
    const now = Date.now();
    const window = now - (now % 600_000) - 600_000;
    const row = (at: number, res: 1 | 10) => ({ app: 'shop', res, at, requests: 2, c2xx: 2, c3xx: 0, c4xx: 0, c5xx: 0, errors: {}, p50: 5, p95: 9, p99: 9, max: 9, bytes: 0 });
    t.store.metrics.writeBatch([row(window, 1), row(window + 60_000, 1), row(now - 25 * 3_600_000, 1), row(now - 8 * 86_400_000, 10)], []);
    m.start();
    m.stop();
    const ten = t.store.metrics.appMetrics('shop', 10, 0, now);
    expect(ten.map((r) => [r.at, r.requests])).toEqual([[window, 4]]);
    expect(t.store.metrics.appMetrics('shop', 1, 0, now).map((r) => r.at)).toEqual([window, window + 60_000]);
  });
});
