// Why: a drain never slows the router or the dynos: pushing is O(1) and never waits. Its lines wait in the same
// bounded queue a `minik logs -t` follower has (LogQueue: the oldest dropped and counted when full), so the
// next batch starts with Heroku's L10 line saying how many were lost.
import type { LogLine } from '../core/types.js';
import { LOG_QUEUE_LIMITS, LogQueue } from '../supervisor/index.js';

/** A drain's bounded queue with a waiter for its shipping loop. */
export class LineBuffer {
  readonly #queue: LogQueue;
  #wake: (() => void) | null = null;

  constructor(maxLines = LOG_QUEUE_LIMITS.maxLines) {
    this.#queue = new LogQueue({ ...LOG_QUEUE_LIMITS, maxLines });
  }

  /** Adds a line (the oldest waiting one is dropped and counted when the buffer is full). */
  push(line: LogLine): void {
    this.#queue.push(line);
    this.#wake?.();
  }

  /** Lines waiting. */
  get size(): number {
    return this.#queue.length;
  }

  /** Roughly the bytes the waiting lines hold. */
  get bytes(): number {
    return this.#queue.bytes;
  }

  /** Something to send: lines, or an L10 line to report. */
  get pending(): boolean {
    return this.#queue.pending;
  }

  /** Takes lines from the front while `fits` accepts them (at least one), an L10 line first after drops. */
  take(fits: (line: LogLine, taken: number) => boolean): LogLine[] {
    const out: LogLine[] = [];
    for (let next = this.#queue.peek(); next; next = this.#queue.peek()) {
      if (!fits(next, out.length) && out.length > 0) break;
      out.push(this.#queue.shift()!);
    }
    return out;
  }

  /** Wakes a pending wait() (on close). */
  wake(): void {
    this.#wake?.();
  }

  /** Resolves when a line arrives (at once if some are waiting) or after ms. */
  wait(ms: number): Promise<void> {
    if (this.pending) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      const self = this;
      function done(): void {
        clearTimeout(t);
        self.#wake = null;
        resolve();
      }
      this.#wake = done;
    });
  }
}
