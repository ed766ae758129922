// Why: the one place that speaks HTTP over the daemon's Unix socket and turns the API's error shape
// back into a MinikError (docs/API.md).
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { MinikError } from '../core/errors.js';

/** One HTTP exchange's target and payload. */
export interface SendOptions {
  socket: string;
  method: string;
  path: string;
  body?: unknown;
  signal?: AbortSignal;
}

/** Sends a request and resolves with the response head; rejects with the raw connection error. */
export function send(o: SendOptions): Promise<IncomingMessage> {
  const payload = o.body === undefined ? undefined : JSON.stringify(o.body);
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      socketPath: o.socket, method: o.method, path: o.path, signal: o.signal,
      headers: {
        accept: 'application/json, application/x-ndjson',
        ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
      },
    });
    req.once('response', resolve);
    req.on('error', reject); // 'on': a late socket error after the response must not go unhandled
    req.end(payload);
  });
}

/** Reads a whole response body as text. */
export function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
    res.once('aborted', () => reject(new Error('connection closed mid-response')));
  });
}

/** True when nothing listens on the socket: it is missing or refuses connections. */
export function isDaemonDown(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ECONNREFUSED';
}

/** True when the request was cancelled through its AbortSignal. */
export function isAbort(err: unknown): boolean {
  return (err as Error | null)?.name === 'AbortError' || (err as NodeJS.ErrnoException | null)?.code === 'ABORT_ERR';
}

/** Builds a MinikError from `{error:{message,hint,code}}`, or a generic one when the body is not that. */
export function apiError(status: number, text: string, what: string, logHint: string): MinikError {
  const body = tryParse(text) as { error?: { message?: unknown; hint?: unknown; code?: unknown } } | undefined;
  const e = body?.error;
  if (e && typeof e.message === 'string') {
    return new MinikError(e.message, {
      hint: typeof e.hint === 'string' ? e.hint : undefined,
      code: typeof e.code === 'string' ? e.code : undefined,
    });
  }
  return new MinikError(`the daemon answered ${what} with HTTP ${status}`, { hint: logHint, code: 'daemon_error' });
}

/** Parses JSON, or returns undefined. */
export function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
