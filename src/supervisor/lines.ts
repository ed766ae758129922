// Why: a pipe delivers chunks, not lines; a line may span chunks and a UTF-8 character may too. Lines are cut
// from the bytes (a newline byte never occurs inside a UTF-8 character) and each is decoded on its own: a line
// decoded as a slice of its chunk's string kept the whole 64 KB chunk alive for as long as the line lived.

/** A partial line longer than this is emitted anyway, so one endless line cannot exhaust memory. */
const MAX_PENDING = 64 * 1024;
const LF = 0x0a;
const CR = 0x0d;

/** Why: turns a byte stream into lines (LF or CRLF), keeping the unfinished tail until more arrives. */
export class LineSplitter {
  /** The unfinished line so far (copied out of its chunk). */
  #pending: Buffer | null = null;

  constructor(private readonly onLine: (line: string) => void) {}

  /** Feeds one chunk; emits every complete line in it. */
  push(chunk: Buffer | string): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    for (let nl = buf.indexOf(LF); nl !== -1; nl = buf.indexOf(LF, start)) {
      this.#emit(buf, start, nl);
      start = nl + 1;
    }
    if (start === buf.length) return;
    const rest = buf.subarray(start);
    this.#pending = this.#pending ? Buffer.concat([this.#pending, rest]) : Buffer.from(rest);
    while (this.#pending && this.#pending.length > MAX_PENDING) {
      const cut = charBoundary(this.#pending, MAX_PENDING);
      this.onLine(this.#pending.toString('utf8', 0, cut));
      this.#pending = cut < this.#pending.length ? Buffer.from(this.#pending.subarray(cut)) : null;
    }
  }

  /** Emits the unterminated remainder, if any, when the stream ends. */
  end(): void {
    const rest = this.#pending;
    this.#pending = null;
    if (rest && rest.length > 0) this.#emit(rest, 0, rest.length);
  }

  /** Emits buf[start, end) after the pending bytes, without a trailing CR. */
  #emit(buf: Buffer, start: number, end: number): void {
    if (this.#pending) {
      const whole = Buffer.concat([this.#pending, buf.subarray(start, end)]);
      this.#pending = null;
      return this.#emit(whole, 0, whole.length);
    }
    if (end > start && buf[end - 1] === CR) end--;
    this.onLine(buf.toString('utf8', start, end));
  }
}

/**
 * The largest index ≤ at that does not cut a UTF-8 character: it backs up over at most 3 continuation bytes (the
 * most a character has), so bytes that are not UTF-8 still give a cut near `at`; `at` = buf.length is a boundary.
 */
export function charBoundary(buf: Buffer, at: number): number {
  let i = at;
  while (i > at - 3 && i > 0 && (buf[i]! & 0xc0) === 0x80) i--;
  return i;
}
