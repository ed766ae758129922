// Why: streaming endpoints send one JSON value per line; chunks split lines (and UTF-8 characters)
// anywhere, so lines are reassembled before parsing.
import { StringDecoder } from 'node:string_decoder';
import { MinikError } from '../core/errors.js';

/** Turns a byte stream of newline-delimited JSON into values. */
export class NdjsonParser {
  private readonly decoder = new StringDecoder('utf8');
  private buffer = '';

  /** Feeds a chunk; returns the values of the lines it completed. */
  push(chunk: Buffer | string): unknown[] {
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const lines = this.buffer.split('\n');
    this.buffer = lines.pop()!;
    return lines.flatMap((l) => this.parse(l));
  }

  /** Flushes a last line that had no trailing newline. */
  end(): unknown[] {
    const rest = this.buffer + this.decoder.end();
    this.buffer = '';
    return this.parse(rest);
  }

  private parse(line: string): unknown[] {
    const text = line.trim();
    if (text === '') return [];
    try {
      return [JSON.parse(text)];
    } catch {
      throw new MinikError(`the daemon sent a line that is not JSON: ${text.slice(0, 80)}`, {
        hint: 'the daemon and the CLI may be different versions; run \'minik daemon stop\' and retry',
      });
    }
  }
}
