// Why: one log multiplexer for every app: lines are split, stamped, kept in a ring and a file, and
// fanned out to followers, so `minik logs` works live and after a daemon restart. Nothing here holds a line
// object past the write that logged it (the ring and the file keep bytes), so a flood of app output is garbage
// the young generation collects, not a growing old generation.
import fs from 'node:fs';
import path from 'node:path';
import { invalid } from '../core/errors.js';
import { logTimestamp, parseLogLine } from '../core/time.js';
import type { LogLine, LogSource } from '../core/types.js';
import { charBoundary } from './lines.js';
import { LogFile } from './log-file.js';
import { LogFollower, type LogSink } from './log-follower.js';
import { LogRing } from './log-ring.js';

/** Why: Heroku splits log lines longer than this many bytes. */
export const MAX_LINE_BYTES = 10_000;
const DEFAULT_N = 100;
/** How much of each file a fresh LogHub reads back to fill a ring. */
const TAIL_BYTES = 2 * 1024 * 1024;
/** The most bytes an app's ring of recent lines may take (1,500 lines of 2.8 KB); it starts at 64 KB. */
const RING_BYTES = 4 * 1024 * 1024;

/** Why: the filters `minik logs` offers: how many lines, which dyno or type, which source. */
export interface LogFilter {
  n?: number;
  /** A dyno name ('web.1', 'router') or a process type ('web' matches web.N). */
  process?: string;
  /** 'app', 'minik', or 'router' (process === 'router'). */
  source?: string;
}

interface AppLog {
  ring: LogRing;
  /** Opened on the first line; closed (null) by close(). */
  file: LogFile | null;
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
    const file = (log.file ??= new LogFile(this.#file(app), { maxFileBytes: this.#maxFileBytes }));
    const followers = this.#followers.get(app);
    if (isOneLine(message)) return this.#add(log, file, followers, { time: logTimestamp(), source, process, message });
    for (const text of splitMessage(message)) this.#add(log, file, followers, { time: logTimestamp(), source, process, message: text });
  }

  #add(log: AppLog, file: LogFile, followers: Set<Follower> | undefined, line: LogLine): void {
    log.ring.push(line);
    file.append(log.ring, log.ring.next - 1);
    if (followers) for (const f of followers) notify(f, line);
  }

  /** The last `n` (default 100) lines matching the filter, oldest first. */
  recent(app: string, filter: LogFilter = {}): LogLine[] {
    const n = Math.max(0, Math.min(filter.n ?? DEFAULT_N, this.#ringSize));
    if (n === 0) return [];
    const match = matcher(filter);
    const out: LogLine[] = [];
    const ring = this.#app(app).ring;
    for (let seq = ring.next - 1; seq >= ring.oldest && out.length < n; seq--) {
      const line = ring.line(seq);
      if (match(line)) out.push(line);
    }
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
    this.#apps.get(app)?.file?.discard();
    this.#apps.delete(app);
    for (const f of [file, `${file}.1`]) fs.rmSync(f, { force: true });
  }

  /** Why: flushes and closes every file, for a clean daemon shutdown (and tests reading files back). */
  async close(): Promise<void> {
    const files = [...this.#apps.values()].flatMap((l) => (l.file ? [l.file] : []));
    for (const log of this.#apps.values()) log.file = null;
    await Promise.all(files.map((f) => f.close()));
  }

  /** The file an app's lines are kept in (its `.1` generation beside it). */
  fileOf(app: string): string {
    return this.#file(app);
  }

  #file(app: string): string {
    if (!app || path.basename(app) !== app || app.startsWith('.')) throw invalid(`app name '${app}' is invalid for a log file`);
    return path.join(this.#dir, `${app}.log`);
  }

  #app(app: string): AppLog {
    let log = this.#apps.get(app);
    if (!log) {
      const file = this.#file(app);
      log = { ring: new LogRing(this.#ringSize, RING_BYTES, readTail(file, this.#ringSize)), file: null };
      this.#apps.set(app, log);
    }
    return log;
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

/** The common case, a short message with no newline, goes without splitMessage (and its array per line). */
const isOneLine = (message: string) => message.length <= MAX_LINE_BYTES / 4 && !message.includes('\n');

/** Why: one message may hold several lines, and Heroku splits lines over 10,000 bytes. */
export function splitMessage(message: string): string[] {
  if (isOneLine(message)) return [message];
  const text = message.replace(/\r?\n$/, '');
  return text.split(/\r?\n/).flatMap(chunkLine);
}

function chunkLine(line: string): string[] {
  if (line.length <= MAX_LINE_BYTES / 4 || Buffer.byteLength(line) <= MAX_LINE_BYTES) return [line];
  const buf = Buffer.from(line);
  const out: string[] = [];
  let start = 0;
  while (start < buf.length) {
    const end = charBoundary(buf, Math.min(start + MAX_LINE_BYTES, buf.length));
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
    const line = parseLogLine(raw);
    if (line) out.push(line);
  }
  return out;
}
