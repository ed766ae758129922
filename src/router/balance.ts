// Why: balancing is a small function over healthy upstreams (caddy's selection policies); its state is
// keyed by app and port, so it survives every route-table update.
import type { Route, Upstream } from './table.js';

/** How long a dyno that refused or timed out a connection is passed over. */
export const QUARANTINE_MS = 5_000;

/** Why: spreads requests round robin and steers them away from dynos that just refused a connection. */
export class Balancer {
  /** app → next index (an object, so a pick mutates instead of re-setting the map). */
  private readonly cursors = new Map<string, { next: number }>();
  /** port → quarantined until (epoch ms). */
  private readonly quarantined = new Map<number, number>();

  constructor(private readonly quarantineMs = QUARANTINE_MS) {}

  /**
   * The next upstream of `route` that is neither quarantined nor in `skip` (ports already tried for this
   * request). When every candidate is quarantined, the next one not in `skip` is tried anyway.
   */
  pick(route: Route, now: number, skip?: readonly number[]): Upstream | undefined {
    const ups = route.upstreams;
    const n = ups.length;
    if (n === 0) return undefined;
    let cursor = this.cursors.get(route.app);
    if (!cursor) this.cursors.set(route.app, (cursor = { next: 0 }));
    const start = cursor.next % n;
    if (this.quarantined.size === 0 && !skip) {
      cursor.next = start + 1;
      return ups[start];
    }
    let fallback = -1;
    for (let i = 0; i < n; i++) {
      const idx = (start + i) % n;
      const up = ups[idx]!;
      if (skip?.includes(up.port)) continue;
      if (!this.isQuarantined(up.port, now)) {
        cursor.next = idx + 1;
        return up;
      }
      if (fallback === -1) fallback = idx;
    }
    if (fallback === -1) return undefined;
    cursor.next = fallback + 1;
    return ups[fallback];
  }

  /** Passes over `port` until now + quarantineMs. */
  quarantine(port: number, now: number): void {
    this.quarantined.set(port, now + this.quarantineMs);
  }

  /** True while `port` is quarantined; expired entries are dropped on the way. */
  isQuarantined(port: number, now: number): boolean {
    const until = this.quarantined.get(port);
    if (until === undefined) return false;
    if (until > now) return true;
    this.quarantined.delete(port);
    return false;
  }

  /** Forgets cursors of apps that are gone (the daemon may call this after a table update). */
  retain(apps: Iterable<string>): void {
    const keep = new Set(apps);
    for (const app of this.cursors.keys()) if (!keep.has(app)) this.cursors.delete(app);
  }
}
