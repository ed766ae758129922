// Why: `minik logs` and `minik up --watch` print the daemon's log stream the same way: Heroku's line
// format, with the `source[process]:` prefix in a stable colour per process on a TTY.
import { formatLogLine } from '../core/time.js';
import type { LogLine } from '../core/types.js';
import { appPath } from './app.js';
import { streamLines } from './client.js';
import type { Palette } from './color.js';

/** The filters `GET /apps/:app/logs` takes. */
export interface LogQuery { n?: number; tail?: boolean; dyno?: string; source?: string }

/** The query string for a LogQuery, e.g. `?n=100&tail=1&dyno=web.1`. */
export function logsQuery(q: LogQuery): string {
  const params = new URLSearchParams();
  if (q.n !== undefined) params.set('n', String(q.n));
  if (q.tail) params.set('tail', '1');
  if (q.dyno) params.set('dyno', q.dyno);
  if (q.source) params.set('source', q.source);
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** A stable colour for a process name, so web.1 is always the same colour. */
export function processColor(name: string, p: Palette): (s: string) => string {
  const colors = [p.cyan, p.green, p.yellow, p.magenta, p.blue];
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
  return colors[h % colors.length]!;
}

/** One log line as printed, prefix coloured when the palette is on. */
export function renderLogLine(line: LogLine, p: Palette): string {
  if (!p.enabled) return formatLogLine(line);
  const prefix = `${line.source}[${line.process}]:`;
  return `${line.time} ${processColor(prefix, p)(prefix)} ${line.message}`;
}

/**
 * Streams an app's logs into `onLine` until the daemon ends the stream or `signal` aborts it; while a promise
 * `onLine` returned is pending, the stream waits (see writeOrWait).
 */
export function streamLogs(app: string, q: LogQuery, onLine: (l: LogLine) => void | Promise<void>, signal?: AbortSignal) {
  return streamLines('GET', appPath(app, `/logs${logsQuery(q)}`), undefined, (v) => onLine(v as LogLine), { signal, what: 'log stream' });
}

/** The wait of each output that is full, shared by every write until it drains or closes. */
const waits = new WeakMap<NodeJS.WritableStream, Promise<void>>();

/**
 * Writes `text` to `out`; when `out` is full (a pipe nobody reads: `minik logs -t | sleep 1000`), returns a promise
 * that settles once it drained or closed, for the log stream to wait on instead of buffering without bound. Every
 * write while it is full gets the same promise, so `out` holds one 'drain' and one 'close' listener, not one per line
 * (the 11th made Node print a MaxListenersExceededWarning). A closed output never drains: nothing to wait for.
 */
export function writeOrWait(out: NodeJS.WritableStream, text: string): Promise<void> | undefined {
  const ok = out.write(text);
  const pending = waits.get(out);
  if (pending) return pending;
  if (ok || (out as { destroyed?: boolean }).destroyed) return undefined;
  const wait = new Promise<void>((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      waits.delete(out);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
  waits.set(out, wait);
  return wait;
}

/** stdout's reader went away, per stdout: one listener however many log streams watch for it. */
const gone = new WeakMap<NodeJS.WritableStream, Promise<void>>();

/**
 * Resolves when the reader of `out` (stdout) went away (`minik logs -t | head -5`: EPIPE), for a log stream to stop
 * quietly, as a reader that closes its pipe expects, instead of the CLI dying of an uncaught 'error'. The listener
 * stays: output written before a stream ended may still fail after it.
 */
export function readerGone(out: NodeJS.WritableStream = process.stdout): Promise<void> {
  let p = gone.get(out);
  if (!p) {
    p = new Promise<void>((resolve) => out.on('error', () => resolve()));
    gone.set(out, p);
  }
  return p;
}
