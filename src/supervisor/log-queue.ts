// Why: every reader of the live log that may fall behind (a `minik logs -t` that stopped reading, a drain whose
// endpoint is slow) gets logplex's buffer: bounded in lines and bytes; when full, the OLDEST lines make room and
// are counted, so the reader gets the newest ones, preceded by one
// `Error L10 (output buffer overflow): N messages dropped since T.` line saying what it missed. The lines wait
// as bytes in a LogRing, off the JS heap, so a full queue turning over under a flood makes no garbage to promote
// (see log-ring.ts).
import { logTimestamp } from '../core/time.js';
import type { LogLine } from '../core/types.js';
import { LogRing } from './log-ring.js';

/** A queue's caps: logplex holds 1,024 lines per reader; the byte cap bounds them when lines are long (up to 10,000 bytes). */
export interface LogQueueLimits { maxLines: number; maxBytes: number }

/** The caps a `minik logs -t` follower and a drain get. */
export const LOG_QUEUE_LIMITS: LogQueueLimits = { maxLines: 1024, maxBytes: 1024 * 1024 };

/** Logplex's L10 line (source minik, process logplex): `dropped` lines were lost, the first of them logged at `since`. */
export function overflowLine(dropped: number, since: string, time: string = logTimestamp()): LogLine {
  return { time, source: 'minik', process: 'logplex', message: `Error L10 (output buffer overflow): ${dropped} messages dropped since ${since}.` };
}

/** A bounded FIFO of log lines that drops its oldest when full and reports the drops with an L10 line. */
export class LogQueue {
  readonly #ring: LogRing;
  /** The sequence number of the next line to take, and its time (kept for the L10 line once it is dropped). */
  #next = 0;
  #nextTime = '';
  /** What peek() showed, so shift() hands out the same object. */
  #peeked: LogLine | null = null;

  constructor(readonly limits: LogQueueLimits = LOG_QUEUE_LIMITS) {
    this.#ring = new LogRing(limits.maxLines, limits.maxBytes);
  }

  /** Appends a line; the oldest ones are dropped (and counted) when the queue is over its caps. Never waits. */
  push(line: LogLine): void {
    if (this.#next === this.#ring.next) this.#nextTime = line.time;
    this.#ring.push(line);
    if (this.#next < this.#ring.oldest) this.#peeked = null; // the count an L10 line shows grew
  }

  /** What the reader gets next: the L10 line when lines were dropped (they are older than any queued), else the oldest line. */
  peek(): LogLine | undefined {
    if (this.#peeked) return this.#peeked;
    const lost = this.dropped;
    if (lost > 0) return (this.#peeked = overflowLine(lost, this.#nextTime));
    return this.#next < this.#ring.next ? (this.#peeked = this.#ring.line(this.#next)) : undefined;
  }

  /** Removes and returns what peek() shows. */
  shift(): LogLine | undefined {
    const next = this.peek();
    if (!next) return undefined;
    this.#peeked = null;
    if (this.#next < this.#ring.oldest) this.#next = this.#ring.oldest;
    else this.#next++;
    if (this.#next < this.#ring.next) this.#nextTime = this.#ring.time(this.#next);
    return next;
  }

  /** Lines queued (not counting a pending L10 line). */
  get length(): number {
    return this.#ring.next - Math.max(this.#next, this.#ring.oldest);
  }

  /** Bytes the queued lines take (formatted). */
  get bytes(): number {
    return this.#ring.bytesFrom(Math.max(this.#next, this.#ring.oldest));
  }

  /** Lines dropped since the last L10 line was taken. */
  get dropped(): number {
    return Math.max(0, this.#ring.oldest - this.#next);
  }

  /** Something to take: lines, or an L10 line to report. */
  get pending(): boolean {
    return this.#next < this.#ring.next;
  }
}
