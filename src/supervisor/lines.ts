// Why: a pipe delivers chunks, not lines; a line may span chunks and a UTF-8 character may too.
import { StringDecoder } from 'node:string_decoder';

/** A partial line longer than this is emitted anyway, so one endless line cannot exhaust memory. */
const MAX_PENDING = 64 * 1024;

/** Why: turns a byte stream into lines (LF or CRLF), keeping the unfinished tail until more arrives. */
export class LineSplitter {
  #decoder = new StringDecoder('utf8');
  #pending = '';

  constructor(private readonly onLine: (line: string) => void) {}

  /** Feeds one chunk; emits every complete line in it. */
  push(chunk: Buffer | string): void {
    const text = this.#pending + (typeof chunk === 'string' ? chunk : this.#decoder.write(chunk));
    const parts = text.split('\n');
    this.#pending = parts.pop()!;
    for (const part of parts) this.onLine(stripCR(part));
    if (this.#pending.length > MAX_PENDING) {
      this.onLine(this.#pending);
      this.#pending = '';
    }
  }

  /** Emits the unterminated remainder, if any, when the stream ends. */
  end(): void {
    const rest = this.#pending + this.#decoder.end();
    this.#pending = '';
    if (rest.length > 0) this.onLine(stripCR(rest));
  }
}

function stripCR(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
