// Why: an app's log file is fed off the JS heap and never holds more than a bounded amount. Each line is copied
// at once into a reused 64 KB buffer, and full buffers go to the disk one write at a time (a partial one after
// 100 ms). Holding the lines as objects until a batched write made every line of a flood outlive two young
// collections and be promoted: with a worker logging 50 MB, the daemon's peak RSS went from 73 MB to 145-220 MB
// (to about 125 MB without that, the rest was the ring: see log-ring.ts). When the disk falls behind, at most
// `maxQueueBytes` wait (the WriteStream before queued without bound); later lines are dropped and counted, and
// the file gets logplex's L10 line at the gap once the disk has caught up.
import fs from 'node:fs';
import type { LogLine } from '../core/types.js';
import { overflowLine } from './log-queue.js';
import { encodedBytes, encodeLine, type LogRing } from './log-ring.js';

/** How long a line may wait before it is written (a full buffer is written at once). */
const FLUSH_MS = 100;
const CHUNK_BYTES = 64 * 1024;
/** Bytes of lines that may wait for the disk, per file. */
export const FILE_QUEUE_BYTES = 4 * 1024 * 1024;
/**
 * Empty chunks, shared by every file and kept for reuse (up to one file's worth): a chunk outlives a write, so a
 * dropped one is only freed by a full GC, and fresh ones per flood grew the daemon's external memory by ~20 MB.
 */
const spare: Buffer[] = [];
const SPARE_CHUNKS = FILE_QUEUE_BYTES / CHUNK_BYTES;

interface Chunk {
  buf: Buffer;
  used: number;
  /** The file reached its size cap with this chunk: rotate once it is written. */
  rotate: boolean;
}

/** Options: the size at which the file rotates to `.1`, and the cap on bytes waiting for the disk. */
export interface LogFileOptions { maxFileBytes: number; maxQueueBytes?: number }

/** One app's log file with a bounded write queue and one `.1` generation. */
export class LogFile {
  readonly #maxChunks: number;
  #fd: number | null = null;
  /** Bytes in the current file, counting those still queued. */
  #size = 0;
  /** Chunks not written yet, oldest first; the last one is being filled unless sealed. */
  readonly #queue: Chunk[] = [];
  #open: Chunk | null = null;
  #writing = false;
  #timer: NodeJS.Timeout | null = null;
  #dropped = 0;
  #droppedSince = '';
  #closed = false;
  #discarded = false;
  #idle: (() => void)[] = [];

  constructor(readonly file: string, private readonly o: LogFileOptions) {
    this.#maxChunks = Math.max(2, Math.floor((o.maxQueueBytes ?? FILE_QUEUE_BYTES) / CHUNK_BYTES));
    this.#reopen();
    if (this.#fd !== null) this.#size = fs.fstatSync(this.#fd).size;
  }

  /** Queues line `seq` of `ring` (copying the text the ring holds); drops and counts it when `maxQueueBytes` already wait. */
  append(ring: LogRing, seq: number): void {
    if (this.#closed) return;
    if (this.#dropped > 0 && (!this.#hasRoom() || !this.#reportDrops())) return this.#lose(ring, seq);
    const chunk = this.#chunkFor(ring.size(seq));
    if (!chunk) return this.#lose(ring, seq);
    this.#added(chunk, ring.copy(seq, chunk.buf, chunk.used));
  }

  /** Lines dropped and not yet reported in the file; and bytes waiting (for tests and diagnostics). */
  get backlog(): { bytes: number; dropped: number } {
    return { bytes: this.#queue.reduce((n, c) => n + c.used, 0), dropped: this.#dropped };
  }

  /** Writes everything queued and closes the file. */
  async close(): Promise<void> {
    if (this.#dropped > 0 && this.#hasRoom()) this.#reportDrops();
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#seal();
    if (this.#writing) await new Promise<void>((resolve) => this.#idle.push(resolve));
    this.#closeFd();
  }

  /** Forgets what is queued and closes the file (its app is gone). */
  discard(): void {
    this.#closed = true;
    this.#discarded = true;
    this.#queue.length = 0;
    this.#open = null;
    if (this.#timer) clearTimeout(this.#timer);
    if (!this.#writing) this.#closeFd();
  }

  /** The chunk `size` more bytes go into (a new one when the open one is full), or null when the queue is full. */
  #chunkFor(size: number): Chunk | null {
    // A line is at most MAX_LINE_BYTES (10,000) and a short prefix, so it always fits an empty chunk.
    if (this.#open && this.#open.used + size > CHUNK_BYTES) this.#seal();
    if (this.#open) return this.#open;
    if (this.#queue.length >= this.#maxChunks) return null; // the queue counts the chunk being written too
    const chunk = { buf: spare.pop() ?? Buffer.allocUnsafeSlow(CHUNK_BYTES), used: 0, rotate: false };
    this.#queue.push(chunk);
    return (this.#open = chunk);
  }

  /** Accounts for `size` bytes just written into the open chunk: rotation at the size cap, the flush timer. */
  #added(chunk: Chunk, size: number): void {
    chunk.used += size;
    this.#size += size;
    if (this.#size >= this.o.maxFileBytes) {
      chunk.rotate = true; // rotation happens at a line boundary, once this chunk is written
      this.#size = 0;
      this.#seal();
    } else if (this.#closed) {
      this.#seal(); // an L10 line written while closing
    } else if (!this.#timer) {
      this.#timer = setTimeout(() => { this.#timer = null; this.#seal(); }, FLUSH_MS).unref();
    }
  }

  /** A new line can be queued without dropping one. */
  #hasRoom(): boolean {
    return this.#open !== null || this.#queue.length < this.#maxChunks;
  }

  /** Closes the chunk being filled and starts writing it unless a write is under way (its end starts the next). */
  #seal(): void {
    this.#open = null;
    this.#kick();
  }

  /** Starts the next write: the sealed chunks up to the first that ends the file. One write at a time keeps order. */
  #kick(): void {
    if (this.#writing) return;
    const batch: Chunk[] = [];
    for (const c of this.#queue) {
      if (c === this.#open) break;
      batch.push(c);
      if (c.rotate) break;
    }
    if (batch.length === 0) {
      if (this.#closed) this.#settle();
      return;
    }
    if (this.#fd === null) this.#reopen();
    const fd = this.#fd;
    if (fd === null) return this.#done(batch, new Error('no file')); // the folder is gone or unwritable: the ring still has the lines
    this.#writing = true;
    writeAll(fd, batch.map((c) => c.buf.subarray(0, c.used)), (err) => this.#done(batch, err));
  }

  #done(batch: Chunk[], err: Error | null): void {
    this.#writing = false;
    if (this.#discarded) return this.#closeFd();
    this.#queue.splice(0, batch.length);
    if (err) this.#closeFd(); // reopened for the next write; these lines stay in the ring only, as when the folder is gone
    if (batch.at(-1)!.rotate) this.#rotate();
    for (const c of batch) if (spare.length < SPARE_CHUNKS) spare.push(c.buf);
    if (this.#dropped > 0) this.#reportDrops();
    this.#kick();
  }

  /** Writes the L10 line for the lines dropped so far, if there is room now. */
  #reportDrops(): boolean {
    const line: LogLine = overflowLine(this.#dropped, this.#droppedSince);
    const chunk = this.#chunkFor(encodedBytes(line));
    if (!chunk) return false;
    this.#dropped = 0;
    this.#added(chunk, encodeLine(chunk.buf, chunk.used, line) - chunk.used);
    return true;
  }

  #lose(ring: LogRing, seq: number): void {
    if (this.#dropped++ === 0) this.#droppedSince = ring.time(seq);
  }

  #reopen(): void {
    try {
      this.#fd = fs.openSync(this.file, 'a');
    } catch {
      this.#fd = null;
    }
  }

  #rotate(): void {
    this.#closeFd();
    try {
      fs.renameSync(this.file, `${this.file}.1`);
    } catch {
      // nothing to rotate
    }
  }

  #closeFd(): void {
    if (this.#fd === null) return;
    try {
      fs.closeSync(this.#fd);
    } catch {
      // already closed
    }
    this.#fd = null;
  }

  #settle(): void {
    for (const resolve of this.#idle.splice(0)) resolve();
  }
}

/** fs.writev until every byte is written (a regular file may take fewer bytes than asked). */
function writeAll(fd: number, bufs: Buffer[], cb: (err: Error | null) => void): void {
  fs.writev(fd, bufs, (err, written) => {
    if (err) return cb(err);
    let rest = written;
    while (bufs.length > 0 && rest >= bufs[0]!.length) rest -= bufs.shift()!.length;
    if (bufs.length === 0) return cb(null);
    bufs[0] = bufs[0]!.subarray(rest);
    writeAll(fd, bufs, cb);
  });
}
