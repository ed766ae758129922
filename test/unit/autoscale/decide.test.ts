import { describe, expect, it } from 'vitest';
import { CALM_TICKS, decide, stepLine, type Observation, type ScaleState } from '../../../src/autoscale/index.js';

const s = { app: 'shop', type: 'web', min: 1, max: 3, p95: 1000 };
const obs = (quantity: number, p95: number | null, requests = 50, busy = false): Observation => ({ quantity, p95, requests, busy });

/** Runs decide over a series of observations, applying each step, and returns the quantities. */
function run(start: number, series: Array<[p95: number | null, requests: number]>): number[] {
  let q = start;
  let state: ScaleState = { calm: 0 };
  return series.map(([p95, requests]) => {
    const d = decide(s, obs(q, p95, requests), state);
    state = d.state;
    if (d.to !== null) q = d.to;
    return q;
  });
}

describe('decide', () => {
  it('adds one dyno per tick while p95 is over the target, never past max', () => {
    expect(run(1, [[1450, 10], [1450, 10], [1450, 10], [1450, 10]])).toEqual([2, 3, 3, 3]);
    expect(decide(s, obs(2, 1450), { calm: 0 }).reason).toBe('p95 1450ms > 1000ms');
  });

  it('removes one dyno only after five calm ticks in a row, never below min', () => {
    const calm: Array<[number | null, number]> = Array.from({ length: 12 }, () => [null, 0]);
    expect(run(3, calm)).toEqual([3, 3, 3, 3, 2, 2, 2, 2, 2, 1, 1, 1]);
    expect(CALM_TICKS).toBe(5);
  });

  it('restarts the calm count when traffic is between half the target and the target', () => {
    const series: Array<[number | null, number]> = [[100, 5], [100, 5], [100, 5], [100, 5], [700, 5], [100, 5], [100, 5], [100, 5], [100, 5], [100, 5]];
    expect(run(2, series)).toEqual([2, 2, 2, 2, 2, 2, 2, 2, 2, 1]);
  });

  it('does nothing while the app is busy (a deploy)', () => {
    expect(decide(s, obs(1, 5000, 50, true), { calm: 4 })).toEqual({ to: null, reason: 'busy', state: { calm: 4 } });
  });

  it('brings a formation outside min..max back into range', () => {
    expect(decide(s, obs(0, null, 0), { calm: 0 }).to).toBe(1);
    expect(decide(s, obs(7, 5000), { calm: 0 }).to).toBe(3);
  });

  it("words the step like Heroku's log line", () => {
    expect(stepLine('web', 2, 3, 'p95 1450ms > 1000ms')).toBe('Autoscaling web from 2 to 3 (p95 1450ms > 1000ms)');
  });
});
