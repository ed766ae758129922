// Why: crash restarts wait longer each time, so a broken app does not spin, and a run that stayed up
// long enough earns a quick restart again.
import type { BackoffOptions } from './types.js';

/** Why: the delay sequence base, 2×base, 4×base … capped, reset after a long enough run. */
export class Backoff {
  #next: number;

  constructor(private readonly opts: BackoffOptions) {
    this.#next = opts.baseMs;
  }

  /** The delay before the next restart, given how long the crashed run was up (null: never up). */
  next(upForMs: number | null): number {
    if (upForMs !== null && upForMs >= this.opts.resetAfterMs) this.reset();
    const delay = Math.min(this.#next, this.opts.capMs);
    this.#next = Math.min(delay * 2, this.opts.capMs);
    return delay;
  }

  /** Back to baseMs, e.g. after a manual restart. */
  reset(): void {
    this.#next = this.opts.baseMs;
  }
}
