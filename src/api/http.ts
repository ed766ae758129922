// Why: request parsing, JSON answers, NDJSON streams and error mapping, shared by every handler.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { invalid, MinikError } from '../core/errors.js';

const MAX_BODY = 1024 * 1024;
const STATUS: Record<string, number> = { not_found: 404, invalid: 400, conflict: 409, addon_not_ready: 503 };

/** Reads a JSON request body (empty body → {}); refuses bodies over 1 MiB. */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw invalid('request body over 1 MiB', 'send less data');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not an object');
    return body as Record<string, unknown>;
  } catch {
    throw invalid('request body is not a JSON object', 'the minik CLI sends JSON; is another program talking to the socket?');
  }
}

/** Answers with a JSON body. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Maps an error to its status and `{error: {message, hint, code}}`. */
export function sendError(res: ServerResponse, err: unknown): void {
  const e = err instanceof MinikError ? err : new MinikError(err instanceof Error ? err.message : String(err), { code: 'internal' });
  if (!(err instanceof MinikError)) console.error(err);
  if (res.headersSent) return void res.end();
  sendJson(res, STATUS[e.code] ?? 500, { error: e.toJSON() });
}

export interface Stream {
  log(line: string): void;
  built(): void;
  done(result: object): void;
  fail(err: unknown): void;
}

/** Starts an NDJSON answer: log events while the work runs, then exactly one done or error event. */
export function openStream(res: ServerResponse): Stream {
  res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
  res.flushHeaders();
  const write = (event: object) => {
    if (!res.writableEnded && !res.destroyed) res.write(JSON.stringify(event) + '\n');
  };
  return {
    log: (line) => write({ event: 'log', line }),
    built: () => write({ event: 'built' }),
    done: (result) => { write({ event: 'done', ...result }); res.end(); },
    fail: (err) => {
      const e = err instanceof MinikError ? err : new MinikError(err instanceof Error ? err.message : String(err), { code: 'internal' });
      if (!(err instanceof MinikError)) console.error(err);
      write({ event: 'error', error: e.toJSON() });
      res.end();
    },
  };
}

/**
 * Runs work whose output streams to the client. `signal` aborts when the client leaves before the end
 * (Ctrl-C on `minik up`); the work decides what it can cancel (a build) and what it finishes (a release).
 */
export async function streamed(res: ServerResponse, work: (s: Stream, signal: AbortSignal) => Promise<object>): Promise<void> {
  const s = openStream(res);
  const gone = new AbortController();
  const onClose = () => { if (!res.writableFinished) gone.abort(); };
  res.once('close', onClose);
  try {
    s.done(await work(s, gone.signal));
  } catch (err) {
    s.fail(err);
  } finally {
    res.removeListener('close', onClose);
  }
}

/** A string field of a body, or an error naming it. */
export function stringField(body: Record<string, unknown>, key: string): string {
  const v = body[key];
  if (typeof v !== 'string' || v === '') throw invalid(`'${key}' must be a non-empty string`, 'update the minik CLI to match the daemon');
  return v;
}
