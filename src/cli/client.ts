// Why: commands talk to the daemon only through these calls: JSON requests, NDJSON streams, and
// starting the daemon on first use.
import type { IncomingMessage } from 'node:http';
import { MinikError } from '../core/errors.js';
import { startDaemon } from './autostart.js';
import { NdjsonParser } from './ndjson.js';
import { daemonLogPath, socketPath } from './paths.js';
import { apiError, isAbort, isDaemonDown, readBody, send, tryParse } from './transport.js';

/** Per-call options. */
export interface ClientOptions {
  /** Start the daemon when it is not running (default true); false throws `daemonNotRunning()`. */
  autoStart?: boolean;
  /** Cancels the request; a cancelled stream resolves instead of failing. */
  signal?: AbortSignal;
  /** Names the work in "closed the connection before the deploy finished". */
  what?: string;
  env?: NodeJS.ProcessEnv;
}

/** One event of a streaming endpoint (build output, then done or error). */
export type StreamEvent =
  | { event: 'log'; line: string }
  | { event: 'built' }
  | { event: 'done'; [key: string]: unknown }
  | { event: 'error'; error: { message: string; hint?: string; code?: string } };

/** The error for "no daemon on the socket" when auto-start is off. */
export function daemonNotRunning(): MinikError {
  return new MinikError('the minik daemon is not running', {
    hint: "run 'minik daemon start' (any command that needs it starts it too)", code: 'daemon_down',
  });
}

const logHint = (env?: NodeJS.ProcessEnv) => `see ${daemonLogPath(env)}`;

async function connect(method: string, path: string, body: unknown, o: ClientOptions): Promise<IncomingMessage> {
  const socket = socketPath(o.env);
  const attempt = () => send({ socket, method, path, body, signal: o.signal });
  try {
    return await attempt();
  } catch (err) {
    if (!isDaemonDown(err) || isAbort(err)) throw connectError(err, socket);
    if (o.autoStart === false) throw daemonNotRunning();
    await startDaemon(o.env ?? process.env);
    return attempt().catch((e: unknown) => Promise.reject(connectError(e, socket)));
  }
}

function connectError(err: unknown, socket: string): unknown {
  if (isAbort(err) || err instanceof MinikError) return err;
  return new MinikError(`cannot reach the minik daemon at ${socket}: ${(err as Error).message}`, {
    hint: 'check that MINIK_HOME is the same for the daemon and the CLI', code: 'daemon_unreachable',
  });
}

/** A JSON request: resolves with the parsed answer or throws the API's error as a MinikError. */
export async function request<T = unknown>(method: string, path: string, body?: unknown, o: ClientOptions = {}): Promise<T> {
  const res = await connect(method, path, body, o);
  let text: string;
  try {
    text = await readBody(res);
  } catch {
    throw new MinikError(`the daemon closed the connection before answering ${method} ${path}`, { hint: logHint(o.env) });
  }
  const status = res.statusCode ?? 0;
  if (status >= 400) throw apiError(status, text, `${method} ${path}`, logHint(o.env));
  const value = tryParse(text);
  if (value === undefined && text.trim() !== '') {
    throw new MinikError(`the daemon answered ${method} ${path} with something that is not JSON`, { hint: logHint(o.env) });
  }
  return value as T;
}

/** Takes one value of a stream; a promise pauses the stream until it settles (the output is full). */
export type ValueHandler = (v: unknown) => void | Promise<void>;

/**
 * Reads an NDJSON stream, calling `onValue` for each value. Resolves 'end' when the daemon ends it,
 * 'aborted' when `o.signal` cancelled it, 'dropped' when the connection broke.
 */
export async function streamLines(
  method: string, path: string, body: unknown, onValue: ValueHandler, o: ClientOptions = {},
): Promise<'end' | 'aborted' | 'dropped'> {
  let res: IncomingMessage;
  try {
    res = await connect(method, path, body, o);
  } catch (err) {
    if (isAbort(err)) return 'aborted';
    throw err;
  }
  if ((res.statusCode ?? 0) >= 400) {
    throw apiError(res.statusCode!, await readBody(res).catch(() => ''), `${method} ${path}`, logHint(o.env));
  }
  return pump(res, onValue, o.signal);
}

/**
 * Why: a reader that waits for its output (`minik logs -t | less` not scrolling) pauses the response, so the
 * socket fills and the daemon holds its bounded backlog: reading on regardless grew the CLI by 1 MB per 5,000 lines.
 * The values of a chunk after the one that made it wait are handed over only once that wait settled, so they too
 * wait in the socket, not in the output's buffer (a chunk may hold hundreds of lines).
 */
function pump(res: IncomingMessage, onValue: ValueHandler, signal?: AbortSignal): Promise<'end' | 'aborted' | 'dropped'> {
  const parser = new NdjsonParser();
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', aborted);
      fn();
    };
    const fail = (err: unknown) => {
      settle(() => reject(err));
      res.destroy();
    };
    const aborted = () => settle(() => resolve('aborted'));
    /** Values parsed but not handed over yet (from `next` on), whether the handler is waiting, how the stream ended. */
    let values: unknown[] = [];
    let next = 0;
    let waiting = false;
    let over: 'end' | 'dropped' | null = null;
    const feed = (): void => {
      while (!waiting && !settled && next < values.length) {
        let wait: void | Promise<void>;
        try {
          wait = onValue(values[next++]);
        } catch (err) {
          return fail(err);
        }
        if (wait instanceof Promise) {
          waiting = true;
          res.pause();
          wait.then(() => {
            waiting = false;
            feed();
            if (!waiting) res.resume();
          }, fail);
        }
      }
      // The lines received before the stream ended are handed over first, even while the handler waits.
      if (!waiting && over) settle(() => resolve(over!));
    };
    const add = (parse: () => unknown[]) => {
      try {
        const parsed = parse();
        values = next < values.length ? values.slice(next).concat(parsed) : parsed;
        next = 0;
      } catch (err) {
        return fail(err);
      }
      feed();
    };
    signal?.addEventListener('abort', aborted, { once: true });
    res.on('data', (chunk: Buffer) => add(() => parser.push(chunk)));
    res.once('end', () => {
      over = 'end';
      add(() => parser.end());
    });
    const broke = () => {
      if (signal?.aborted) return aborted();
      over ??= 'dropped';
      feed();
    };
    res.once('close', broke);
    res.on('error', broke);
  });
}

/** A streaming endpoint: prints nothing itself; resolves with the `done` event's fields. */
export async function stream<T = Record<string, unknown>>(
  method: string, path: string, body: unknown, onEvent: (e: StreamEvent) => void, o: ClientOptions = {},
): Promise<T> {
  let result: { done: T } | { error: MinikError } | undefined;
  const how = await streamLines(method, path, body, (v) => {
    const e = v as StreamEvent;
    if (result) return;
    if (e.event === 'done') {
      const { event: _event, ...rest } = e;
      result = { done: rest as T };
    } else if (e.event === 'error') {
      result = { error: new MinikError(e.error?.message ?? 'the daemon reported an error', { hint: e.error?.hint, code: e.error?.code }) };
    }
    onEvent(e);
  }, o);
  if (result && 'done' in result) return result.done;
  if (result) throw result.error;
  if (how === 'aborted') throw new MinikError(`the ${o.what ?? 'deploy'} was interrupted`, { exitCode: 130 });
  throw new MinikError(`the daemon closed the connection before the ${o.what ?? 'deploy'} finished`, { hint: logHint(o.env) });
}
