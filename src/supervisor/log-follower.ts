// Why: a `minik logs -t` whose reader stops (Ctrl-Z, a paused `less`) must not grow the daemon: without
// backpressure every line was queued in the socket's write buffer, 74 → 590 MB in 6 s under a chatty dyno.
// Like Heroku's logplex, each follower gets a bounded buffer, lines beyond it are dropped and counted, and
// one `Error L10 (output buffer overflow)` line tells the reader when it catches up.
import { logTimestamp } from '../core/time.js';
import type { LogLine } from '../core/types.js';

/** Where a follower's lines go: `write` answers false when the reader is behind (as a Writable's write does). */
export interface LogSink {
  write(line: LogLine): boolean;
  /** Calls `resume` once, when the reader has caught up (a Writable's 'drain'). */
  onDrain(resume: () => void): void;
}

/** Logplex buffers 1,024 lines per drain; the byte cap bounds them when lines are long (up to 10,000 bytes). */
export const FOLLOWER_MAX_LINES = 1024;
export const FOLLOWER_MAX_BYTES = 1024 * 1024;

/** Approximate memory a queued line holds: its text plus the fixed fields. */
const lineBytes = (l: LogLine) => l.message.length + l.process.length + 48;

/** One follower's bounded queue between the LogHub and a slow reader. */
export class LogFollower {
  #paused = false;
  #queue: LogLine[] = [];
  #bytes = 0;
  #dropped = 0;
  #droppedSince = '';

  constructor(
    private readonly sink: LogSink,
    private readonly limits = { maxLines: FOLLOWER_MAX_LINES, maxBytes: FOLLOWER_MAX_BYTES },
  ) {}

  /** Sends a line, queues it while the reader is behind, or drops and counts it once the queue is full. */
  push(line: LogLine): void {
    if (!this.#paused) return this.#send(line);
    const size = lineBytes(line);
    // Once a line is dropped, later ones are too until the reader catches up, so the L10 line marks the gap.
    if (this.#dropped === 0 && this.#queue.length < this.limits.maxLines && this.#bytes + size <= this.limits.maxBytes) {
      this.#queue.push(line);
      this.#bytes += size;
    } else if (this.#dropped++ === 0) {
      this.#droppedSince = line.time; // a dropped line leaves only the count and the first one's time
    }
  }

  /** What is held for the reader now (for tests and diagnostics). */
  get backlog(): { lines: number; bytes: number; dropped: number } {
    return { lines: this.#queue.length, bytes: this.#bytes, dropped: this.#dropped };
  }

  #send(line: LogLine): void {
    if (this.sink.write(line)) return;
    this.#paused = true;
    this.sink.onDrain(() => this.#resume());
  }

  /** The reader caught up: the queued lines first, then the L10 line for the gap after them. */
  #resume(): void {
    this.#paused = false;
    while (this.#queue.length > 0 && !this.#paused) {
      const line = this.#queue.shift()!;
      this.#bytes -= lineBytes(line);
      this.#send(line);
    }
    if (this.#paused || this.#dropped === 0) return;
    const message = `Error L10 (output buffer overflow): ${this.#dropped} messages dropped since ${this.#droppedSince}.`;
    this.#dropped = 0;
    this.#send({ time: logTimestamp(), source: 'minik', process: 'logplex', message });
  }
}
