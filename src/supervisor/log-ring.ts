// Why: log lines that must wait (an app's last 1,500 for `minik logs`, the backlog of a reader that fell behind)
// are kept as bytes, off the JS heap. Kept as objects, a flood (a worker logging 50 MB as fast as its pipe drains)
// replaced them about as fast as the 2 MB young generation is collected, so most lines outlived two collections
// and were promoted: up to 70 MB of dead lines reached the old generation, and the daemon's peak RSS went from
// 73 MB to up to 120 MB with no follower at all (about 84 MB with this ring). Lines are numbered (seq) from 0.
import { parseLogLine } from '../core/time.js';
import type { LogLine } from '../core/types.js';

/** Bytes a ring starts with; it doubles while it holds fewer lines than its cap, up to maxBytes. */
const INITIAL_BYTES = 64 * 1024;

/**
 * Writes `formatLogLine(line)` and a newline at `at` and returns the end (parseLogLine reads it back), piece by
 * piece: building the text as one string first made ~300 bytes more garbage per line (and garbage is what makes
 * young collections frequent).
 */
export function encodeLine(buf: Buffer, at: number, l: LogLine): number {
  at += buf.write(l.time, at, 'latin1'); // digits and punctuation only
  buf[at++] = 0x20;
  at += buf.write(l.source, at, 'utf8');
  buf[at++] = 0x5b; // [
  at += buf.write(l.process, at, 'utf8');
  buf[at++] = 0x5d; // ]
  buf[at++] = 0x3a; // :
  buf[at++] = 0x20;
  at += buf.write(l.message, at, 'utf8');
  buf[at++] = 0x0a;
  return at;
}

/** The bytes encodeLine writes for a line. */
export function encodedBytes(l: LogLine): number {
  return l.time.length + l.source.length + Buffer.byteLength(l.process) + Buffer.byteLength(l.message) + 6;
}

/** The newest `maxLines` lines (within `maxBytes`) of one app, oldest first, each with its sequence number. */
export class LogRing {
  #buf: Buffer;
  /** Byte ranges of the lines, oldest at #first, wrapping at maxLines. */
  readonly #starts: Int32Array;
  readonly #ends: Int32Array;
  #first = 0;
  #count = 0;
  /** Where the next line's bytes go. */
  #head = 0;
  /** The sequence number the next line gets. */
  #next = 0;

  constructor(readonly maxLines: number, readonly maxBytes: number, initial: LogLine[] = []) {
    this.#buf = Buffer.allocUnsafeSlow(Math.min(INITIAL_BYTES, maxBytes));
    this.#starts = new Int32Array(Math.max(1, maxLines));
    this.#ends = new Int32Array(Math.max(1, maxLines));
    for (const line of initial.slice(-maxLines)) this.push(line);
  }

  /** Lines held. */
  get length(): number {
    return this.#count;
  }

  /** The sequence number of the next line pushed (so the newest held is next - 1). */
  get next(): number {
    return this.#next;
  }

  /** The sequence number of the oldest line held. */
  get oldest(): number {
    return this.#next - this.#count;
  }

  /** Adds a line (as seq `next`), dropping the oldest ones it needs room from. */
  push(line: LogLine): void {
    const need = encodedBytes(line);
    if (this.maxLines === 0) return;
    if (need > this.maxBytes) throw new RangeError(`a log line of ${need} bytes does not fit a ring of ${this.maxBytes}`);
    if (this.#count === this.maxLines) this.#dropOldest();
    let at: number;
    for (;;) {
      at = this.#head + need <= this.#buf.length ? this.#head : 0;
      if (!this.#inTheWay(at, need)) break;
      if (this.#count < this.maxLines && this.#buf.length < this.maxBytes) this.#grow();
      else this.#dropOldest();
    }
    const end = encodeLine(this.#buf, at, line);
    const i = (this.#first + this.#count++) % this.maxLines;
    this.#starts[i] = at;
    this.#ends[i] = end;
    this.#head = end;
    this.#next++;
  }

  /** The size of line `seq` as `minik logs` prints it, with the newline. */
  size(seq: number): number {
    const i = this.#index(seq);
    return this.#ends[i]! - this.#starts[i]!;
  }

  /** Copies line `seq` (formatted, with the newline) into `to` at `at`; returns the bytes copied. */
  copy(seq: number, to: Buffer, at: number): number {
    const i = this.#index(seq);
    return this.#buf.copy(to, at, this.#starts[i]!, this.#ends[i]!);
  }

  /** Line `seq` as an object (the ring must hold it: oldest ≤ seq < next). */
  line(seq: number): LogLine {
    const i = this.#index(seq);
    const text = this.#buf.toString('utf8', this.#starts[i]!, this.#ends[i]! - 1);
    const line = parseLogLine(text);
    if (!line) throw new RangeError(`log line ${seq} does not read back: ${text.slice(0, 80)}`);
    return line;
  }

  /** The time of line `seq` (the text before its first space). */
  time(seq: number): string {
    const i = this.#index(seq);
    const start = this.#starts[i]!;
    return this.#buf.toString('latin1', start, this.#buf.indexOf(0x20, start));
  }

  /** The bytes lines `seq` to the newest take. */
  bytesFrom(seq: number): number {
    let n = 0;
    for (let s = Math.max(seq, this.oldest); s < this.#next; s++) n += this.size(s);
    return n;
  }

  #index(seq: number): number {
    if (seq < this.oldest || seq >= this.#next) throw new RangeError(`log line ${seq} is not in the ring (${this.oldest}..${this.#next - 1})`);
    return (this.#first + seq - this.oldest) % this.maxLines;
  }

  /**
   * Whether the oldest line occupies bytes a line written at `at` needs. Lines lie in order from the oldest up to
   * #head, wrapping once; writing at 0 from a head further on (wrapping) gives up the older lines after the head.
   */
  #inTheWay(at: number, need: number): boolean {
    if (this.#count === 0) return false;
    const start = this.#starts[this.#first]!;
    if (at === 0 && this.#head > 0 && start >= this.#head) return true;
    return start < at + need && this.#ends[this.#first]! > at;
  }

  #dropOldest(): void {
    this.#first = (this.#first + 1) % this.maxLines;
    this.#count--;
  }

  /** Doubles the buffer (up to maxBytes), copying the lines to its start in order. */
  #grow(): void {
    const next = Buffer.allocUnsafeSlow(Math.min(this.#buf.length * 2, this.maxBytes));
    let at = 0;
    for (let k = 0; k < this.#count; k++) {
      const i = (this.#first + k) % this.maxLines;
      const len = this.#buf.copy(next, at, this.#starts[i]!, this.#ends[i]!);
      this.#starts[i] = at;
      this.#ends[i] = at += len;
    }
    this.#buf = next;
    this.#head = at;
  }
}
