// Why: a drain never slows the router or the dynos: pushing is O(1) and never waits; a full buffer drops the
// newest lines and counts them, and the next batch starts with Heroku's L10 line saying how many.
import { logTimestamp } from '../core/time.js';
import type { LogLine } from '../core/types.js';
import { overflowLine } from './frame.js';

/** Lines a drain holds while its destination is slow or away (Heroku: 1024). */
export const BUFFER_LINES = 1024;

/** A bounded FIFO of log lines with overflow accounting. */
export class LineBuffer {
  #lines: LogLine[] = [];
  #bytes = 0;
  #dropped = 0;
  #droppedSince: Date | null = null;
  #wake: (() => void) | null = null;

  constructor(readonly limit = BUFFER_LINES) {}

  /** Adds a line, or counts it as dropped when the buffer is full. */
  push(line: LogLine): void {
    if (this.#lines.length >= this.limit) {
      this.#dropped++;
      this.#droppedSince ??= new Date();
    } else {
      this.#lines.push(line);
      this.#bytes += line.message.length + 64;
    }
    this.#wake?.();
  }

  /** Lines waiting. */
  get size(): number {
    return this.#lines.length;
  }

  /** Roughly the bytes of frames the waiting lines make (message + 64 bytes of header each). */
  get bytes(): number {
    return this.#bytes;
  }

  /** Something to send: lines, or an L10 line to report. */
  get pending(): boolean {
    return this.#lines.length > 0 || this.#dropped > 0;
  }

  /** Takes lines from the front while `fits` accepts them (at least one), preceded by an L10 line after drops. */
  take(fits: (line: LogLine, taken: number) => boolean): LogLine[] {
    const out: LogLine[] = [];
    if (this.#dropped > 0) {
      out.push(overflowLine(this.#dropped, this.#droppedSince!, logTimestamp()));
      this.#dropped = 0;
      this.#droppedSince = null;
    }
    let i = 0;
    while (i < this.#lines.length) {
      const l = this.#lines[i]!;
      if (!fits(l, out.length) && out.length > 0) break;
      out.push(l);
      i++;
    }
    this.#lines = this.#lines.slice(i);
    for (const l of out) if (l.process !== 'logplex' || l.source !== 'minik') this.#bytes -= l.message.length + 64;
    if (this.#lines.length === 0) this.#bytes = 0;
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
