// Why: Heroku's autoscaling contract as a pure function over data, so every rule is tested without processes:
// one step per interval at most, up when p95 is over the target, down only after CALM_TICKS calm intervals,
// never outside min..max, never while a deploy (or any other change) holds the app.
import type { AutoscaleSettings } from '../core/metrics.js';

/** Calm intervals in a row before one dyno is removed (Heroku scales down less aggressively than up). */
export const CALM_TICKS = 5;

/** What the autoscaler knows at one tick. */
export interface Observation {
  /** Current web quantity in the formation. */
  quantity: number;
  /** Requests seen since the previous tick. */
  requests: number;
  /** p95 service time in ms since the previous tick; null when nothing was timed. */
  p95: number | null;
  /** A deploy, rollback, restart or scale is in progress for the app. */
  busy: boolean;
}

/** Remembered between ticks, per app. */
export interface ScaleState {
  calm: number;
}

/** The decision: a new quantity and the log line's reason, or none. */
export interface Decision {
  to: number | null;
  reason: string;
  state: ScaleState;
}

/** Why: "calm" is traffic comfortably under the target (half of it), or none at all. */
export function isCalm(obs: Observation, target: number): boolean {
  return obs.requests === 0 || obs.p95 === null || obs.p95 <= target / 2;
}

/** One tick of the autoscaler for one app's web formation. */
export function decide(s: AutoscaleSettings, obs: Observation, state: ScaleState): Decision {
  if (obs.busy) return { to: null, reason: 'busy', state };
  const q = obs.quantity;
  if (q < s.min) return { to: s.min, reason: `below the minimum of ${s.min}`, state: { calm: 0 } };
  if (q > s.max) return { to: s.max, reason: `above the maximum of ${s.max}`, state: { calm: 0 } };
  if (obs.p95 !== null && obs.requests > 0 && obs.p95 > s.p95) {
    return q < s.max
      ? { to: q + 1, reason: `p95 ${obs.p95}ms > ${s.p95}ms`, state: { calm: 0 } }
      : { to: null, reason: 'at max', state: { calm: 0 } };
  }
  if (!isCalm(obs, s.p95)) return { to: null, reason: 'steady', state: { calm: 0 } };
  const calm = state.calm + 1;
  if (calm >= CALM_TICKS && q > s.min) {
    const p95 = obs.p95 === null || obs.requests === 0 ? 'no traffic' : `p95 ${obs.p95}ms <= ${s.p95 / 2}ms`;
    return { to: q - 1, reason: `${p95} for ${CALM_TICKS} intervals`, state: { calm: 0 } };
  }
  return { to: null, reason: 'calm', state: { calm } };
}

/** The log line of a step, as Heroku words it. */
export function stepLine(type: string, from: number, to: number, reason: string): string {
  return `Autoscaling ${type} from ${from} to ${to} (${reason})`;
}
