// Why: a `minik logs -t` whose reader stops (Ctrl-Z, a paused `less`, `| sleep 1000`) must not grow the daemon:
// without backpressure every line was queued in the socket's write buffer, 74 → 590 MB in 6 s under a chatty
// dyno. Like Heroku's logplex, each follower gets a bounded queue (LogQueue): the oldest lines make room, and one
// `Error L10 (output buffer overflow)` line tells the reader how many it missed when it reads again.
import type { LogLine } from '../core/types.js';
import { LOG_QUEUE_LIMITS, LogQueue, type LogQueueLimits } from './log-queue.js';

/** Where a follower's lines go: `write` answers false when the reader is behind (as a Writable's write does). */
export interface LogSink {
  write(line: LogLine): boolean;
  /** Calls `resume` once, when the reader has caught up (a Writable's 'drain'). */
  onDrain(resume: () => void): void;
}

/**
 * One follower's bounded queue between the LogHub and a reader that may fall behind. The queue (a 64 KB ring and
 * 8 KB of index) is made when the reader first falls behind: one that keeps up (most followers, dashboard tabs)
 * never queues a line.
 */
export class LogFollower {
  /** Set while the reader is behind; from the first time on, the queue stays. */
  #queue: LogQueue | null = null;
  #paused = false;

  constructor(private readonly sink: LogSink, private readonly limits: LogQueueLimits = LOG_QUEUE_LIMITS) {}

  /** Sends a line, or queues it while the reader is behind (the queue drops its oldest lines when full). */
  push(line: LogLine): void {
    if (this.#paused) this.#queue!.push(line);
    else this.#send(line);
  }

  /** What is held for the reader now (for tests and diagnostics). */
  get backlog(): { lines: number; bytes: number; dropped: number } {
    const q = this.#queue;
    return { lines: q?.length ?? 0, bytes: q?.bytes ?? 0, dropped: q?.dropped ?? 0 };
  }

  #send(line: LogLine): void {
    if (this.sink.write(line)) return;
    this.#queue ??= new LogQueue(this.limits);
    this.#paused = true;
    this.sink.onDrain(() => this.#resume());
  }

  /** The reader caught up: the L10 line for what was dropped (the oldest), then the queued (newest) lines. */
  #resume(): void {
    this.#paused = false;
    while (!this.#paused) {
      const line = this.#queue!.shift();
      if (!line) return;
      this.#send(line);
    }
  }
}
