import { describe, expect, it } from 'vitest';
import { Balancer } from '../../../src/router/balance.js';
import type { Route } from '../../../src/router/table.js';

const route = (app: string, ports: number[]): Route => ({
  app, maintenance: false, hasRelease: true, crashed: false,
  upstreams: ports.map((port, i) => ({ dyno: `web.${i + 1}`, port })),
});
const picks = (b: Balancer, r: Route, n: number, now = 0): (number | undefined)[] =>
  Array.from({ length: n }, () => b.pick(r, now)?.port);

describe('Balancer', () => {
  it('goes round robin', () => {
    const b = new Balancer();
    expect(picks(b, route('a', [1, 2, 3]), 6)).toEqual([1, 2, 3, 1, 2, 3]);
  });

  it('keeps a cursor per app', () => {
    const b = new Balancer();
    b.pick(route('a', [1, 2]), 0);
    expect(b.pick(route('b', [7, 8]), 0)?.port).toBe(7);
    expect(b.pick(route('a', [1, 2]), 0)?.port).toBe(2);
  });

  it('returns undefined without upstreams', () => {
    expect(new Balancer().pick(route('a', []), 0)).toBeUndefined();
  });

  it('skips a quarantined port until the window passes', () => {
    const b = new Balancer(5000);
    const r = route('a', [1, 2, 3]);
    b.quarantine(2, 1000);
    expect(picks(b, r, 4, 2000)).toEqual([1, 3, 1, 3]);
    expect(b.isQuarantined(2, 5999)).toBe(true);
    expect(b.isQuarantined(2, 6000)).toBe(false);
    expect(picks(b, r, 3, 6000)).toContain(2);
  });

  it('tries quarantined ports anyway when all are quarantined', () => {
    const b = new Balancer();
    const r = route('a', [1, 2]);
    b.quarantine(1, 0);
    b.quarantine(2, 0);
    expect(picks(b, r, 4, 1)).toEqual([1, 2, 1, 2]);
  });

  it('honours the skip list, and gives up when everything was tried', () => {
    const b = new Balancer();
    const r = route('a', [1, 2, 3]);
    expect(b.pick(r, 0, [1, 2])?.port).toBe(3);
    expect(b.pick(r, 0, [1, 2, 3])).toBeUndefined();
  });

  it('survives table updates: state is keyed by app and port', () => {
    const b = new Balancer();
    b.quarantine(2, 0);
    const before = route('a', [1, 2]);
    b.pick(before, 1);
    const after = route('a', [2, 3, 4]);
    expect(picks(b, after, 3, 1)).not.toContain(2);
  });

  it('retain forgets apps that are gone', () => {
    const b = new Balancer();
    b.pick(route('a', [1, 2]), 0);
    b.retain(['b']);
    expect(b.pick(route('a', [1, 2]), 0)?.port).toBe(1);
  });
});
