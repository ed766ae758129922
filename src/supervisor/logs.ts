// Why: one log multiplexer for every app: lines are split, stamped, kept in a ring and a file, and
// fanned out to followers, so `minik logs` works live and after a daemon restart.
import fs from 'node:fs';
import path from 'node:path';
import { invalid } from '../core/errors.js';
import { formatLogLine, logTimestamp } from '../core/time.js';
import type { LogLine, LogSource } from '../core/types.js';
import { LogFollower, type LogSink } from './log-follower.js';
import { Ring } from './ring.js';

/** Why: Heroku splits log lines longer than this many bytes. */
export const MAX_LINE_BYTES = 10_000;
const DEFAULT_N = 100;
/** How long a log line may wait before it is written to its file. */
const FLUSH_MS = 100;
/** How much of each file a fresh LogHub reads back to fill a ring. */
const TAIL_BYTES = 2 * 1024 * 1024;
const LINE_RE = /^(\S+) ([A-Za-z0-9_-]+)\[([^\]]*)\]: (.*)$/;

/** Why: the filters `minik logs` offers: how many lines, which dyno or type, which source. */
export interface LogFilter {
  n?: number;
  /** A dyno name ('web.1', 'router') or a process type ('web' matches web.N). */
  process?: string;
  /** 'app', 'minik', or 'router' (process === 'router'). */
  source?: string;
}

interface AppLog {
  ring: Ring<LogLine>;
  stream: fs.WriteStream | null;
  size: number;
  /** Lines waiting for the next batched file write (formatted then, off the request path). */
  pending: LogLine[];
}

type Follower = { match: (l: LogLine) => boolean; cb: (l: LogLine) => void };

/** Why: the daemon's single place where app output and platform lines meet. */
export class LogHub {
  readonly #dir: string;
  readonly #ringSize: number;
  readonly #maxFileBytes: number;
  readonly #apps = new Map<string, AppLog>();
  readonly #followers = new Map<string, Set<Follower>>();

  constructor(dir: string, opts: { ringSize?: number; maxFileBytes?: number } = {}) {
    this.#dir = dir;
    this.#ringSize = opts.ringSize ?? 1500;
    this.#maxFileBytes = opts.maxFileBytes ?? 5 * 1024 * 1024;
    fs.mkdirSync(dir, { recursive: true });
  }

  /** Splits `message` into lines (and 10,000-byte chunks), stamps, stores and fans them out. */
  write(app: string, source: LogSource, process: string, message: string): void {
    const log = this.#app(app);
    const followers = this.#followers.get(app);
    for (const text of splitMessage(message)) {
      const line: LogLine = { time: logTimestamp(), source, process, message: text };
      log.ring.push(line);
      this.#append(app, log, line);
      if (followers) for (const f of followers) notify(f, line);
    }
  }

  /** The last `n` (default 100) lines matching the filter, oldest first. */
  recent(app: string, filter: LogFilter = {}): LogLine[] {
    const n = Math.max(0, Math.min(filter.n ?? DEFAULT_N, this.#ringSize));
    if (n === 0) return [];
    const match = matcher(filter);
    const out: LogLine[] = [];
    const ring = this.#app(app).ring;
    for (let i = ring.length - 1; i >= 0 && out.length < n; i--) if (match(ring.at(i))) out.push(ring.at(i));
    return out.reverse();
  }

  /** Calls `cb` with every new matching line until the returned function is called. */
  follow(app: string, filter: LogFilter, cb: (l: LogLine) => void): () => void {
    const follower: Follower = { match: matcher(filter), cb };
    let set = this.#followers.get(app);
    if (!set) this.#followers.set(app, (set = new Set()));
    set.add(follower);
    return () => {
      set.delete(follower);
      if (set.size === 0 && this.#followers.get(app) === set) this.#followers.delete(app);
    };
  }

  /** Like follow(), for a reader that may fall behind: a bounded buffer, then dropped lines and one L10 line. */
  followStream(app: string, filter: LogFilter, sink: LogSink): () => void {
    const follower = new LogFollower(sink);
    return this.follow(app, filter, (line) => follower.push(line));
  }

  /** Forgets an app's lines and deletes its log files. */
  remove(app: string): void {
    const file = this.#file(app);
    this.#apps.get(app)?.stream?.end();
    this.#apps.delete(app);
    for (const f of [file, `${file}.1`]) fs.rmSync(f, { force: true });
  }

  /** Why: flushes and closes every file, for a clean daemon shutdown (and tests reading files back). */
  async close(): Promise<void> {
    for (const [app, log] of this.#apps) this.#flush(app, log);
    const streams = [...this.#apps.values()].flatMap((l) => (l.stream ? [l.stream] : []));
    for (const log of this.#apps.values()) log.stream = null;
    await Promise.all(streams.map((s) => new Promise<void>((resolve) => s.end(() => resolve()))));
  }

  #file(app: string): string {
    if (!app || path.basename(app) !== app || app.startsWith('.')) throw invalid(`app name '${app}' is invalid for a log file`);
    return path.join(this.#dir, `${app}.log`);
  }

  #app(app: string): AppLog {
    let log = this.#apps.get(app);
    if (!log) {
      const file = this.#file(app);
      log = { ring: new Ring(this.#ringSize, readTail(file, this.#ringSize)), stream: null, size: 0, pending: [] };
      this.#apps.set(app, log);
    }
    return log;
  }

  /**
   * Why: lines reach the file in batches at most every 100 ms: under load that is one write (one thread-pool job)
   * per 100 ms instead of one per request. `minik logs -t` is unaffected: followers are fed from memory at once.
   */
  #append(app: string, log: AppLog, line: LogLine): void {
    if (log.pending.push(line) === 1) setTimeout(() => this.#flush(app, log), FLUSH_MS).unref();
  }

  /** Writes the pending lines, rotating at a line boundary once the file reaches maxFileBytes. */
  #flush(app: string, log: AppLog): void {
    if (log.pending.length === 0 || this.#apps.get(app) !== log) return;
    const lines = log.pending;
    log.pending = [];
    let batch = '';
    for (const line of lines) {
      const text = formatLogLine(line) + '\n';
      if (!log.stream) this.#open(app, log);
      batch += text;
      log.size += Buffer.byteLength(text);
      if (log.size >= this.#maxFileBytes) {
        log.stream?.write(batch);
        batch = '';
        this.#rotate(app, log);
      }
    }
    if (batch) log.stream?.write(batch);
  }

  #open(app: string, log: AppLog): void {
    const file = this.#file(app);
    try {
      // A synchronously opened fd keeps writes in order across a rename at rotation.
      const fd = fs.openSync(file, 'a');
      log.size = fs.fstatSync(fd).size;
      const stream = fs.createWriteStream(file, { fd });
      stream.on('error', () => {
        if (log.stream === stream) log.stream = null;
      });
      log.stream = stream;
    } catch {
      log.stream = null; // the folder is gone or unwritable: keep the ring, drop the file
    }
  }

  #rotate(app: string, log: AppLog): void {
    const file = this.#file(app);
    log.stream?.end();
    log.stream = null;
    log.size = 0;
    try {
      fs.renameSync(file, `${file}.1`);
    } catch {
      // nothing to rotate
    }
  }
}

function notify(f: Follower, line: LogLine): void {
  if (!f.match(line)) return;
  try {
    f.cb(line);
  } catch {
    // one broken follower must not stop the others or the writer
  }
}

/** Why: the same filter for recent() and follow(). */
export function matcher(filter: LogFilter): (l: LogLine) => boolean {
  const { process: proc, source } = filter;
  return (l) => {
    if (proc && l.process !== proc && !isOfType(l.process, proc)) return false;
    if (source) return source === 'router' ? l.process === 'router' : l.source === source;
    return true;
  };
}

function isOfType(name: string, type: string): boolean {
  return name.length > type.length + 1 && name.startsWith(`${type}.`) && /^\d+$/.test(name.slice(type.length + 1));
}

/** Why: one message may hold several lines, and Heroku splits lines over 10,000 bytes. */
export function splitMessage(message: string): string[] {
  if (message.length <= MAX_LINE_BYTES / 4 && !message.includes('\n')) return [message]; // the common case
  const text = message.replace(/\r?\n$/, '');
  return text.split(/\r?\n/).flatMap(chunkLine);
}

function chunkLine(line: string): string[] {
  if (line.length <= MAX_LINE_BYTES / 4 || Buffer.byteLength(line) <= MAX_LINE_BYTES) return [line];
  const buf = Buffer.from(line);
  const out: string[] = [];
  let start = 0;
  while (start < buf.length) {
    let end = Math.min(start + MAX_LINE_BYTES, buf.length);
    // Never cut inside a UTF-8 sequence: back up over continuation bytes.
    while (end < buf.length && end > start && (buf[end]! & 0xc0) === 0x80) end--;
    out.push(buf.toString('utf8', start, end));
    start = end;
  }
  return out;
}

/** Why: a fresh LogHub (after a daemon restart) fills an app's ring from the end of its files. */
export function readTail(file: string, maxLines: number): LogLine[] {
  const lines = parseLines(readTailText(file));
  if (lines.length >= maxLines) return lines.slice(-maxLines);
  return [...parseLines(readTailText(`${file}.1`)), ...lines].slice(-maxLines);
}

function readTailText(file: string): string {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return '';
  }
  try {
    const size = fs.fstatSync(fd).size;
    const len = Math.min(size, TAIL_BYTES);
    const buf = Buffer.alloc(len);
    fs.readSync(fd, buf, 0, len, size - len);
    const text = buf.toString('utf8');
    // Started mid-file: drop the first, probably partial, line.
    return len < size ? text.slice(text.indexOf('\n') + 1) : text;
  } finally {
    fs.closeSync(fd);
  }
}

function parseLines(text: string): LogLine[] {
  const out: LogLine[] = [];
  for (const raw of text.split('\n')) {
    const m = LINE_RE.exec(raw);
    if (m) out.push({ time: m[1]!, source: m[2] as LogSource, process: m[3]!, message: m[4]! });
  }
  return out;
}
