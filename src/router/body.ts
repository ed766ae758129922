// Why: a request can only be retried on another dyno if its body can be sent again, so small bodies are
// read into memory first; a larger one streams on and is not retried.
import type { IncomingMessage } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';

/** Bodies up to this size are buffered (and so retried on another dyno after a refused connection). */
export const BODY_BUFFER_LIMIT = 64 * 1024;

/** Why: tells apart requests with no body, a small body worth buffering, and a known-large one. */
export function bodyKind(req: IncomingMessage, limit = BODY_BUFFER_LIMIT): 'none' | 'buffer' | 'stream' {
  const h = req.headers;
  if (h['transfer-encoding'] !== undefined) return 'buffer';
  const cl = h['content-length'];
  if (cl === undefined || cl === '0') return 'none';
  return Number(cl) > limit ? 'stream' : 'buffer';
}

/**
 * Reads `req` until it ends (→ done(body, null)) or passes `limit` bytes (→ done(null, rest), where `rest`
 * replays what was read and streams the remainder). Nothing is called if the client goes away first.
 */
export function bufferBody(req: IncomingMessage, limit: number, done: (body: Buffer | null, rest: Readable | null) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  const cleanup = (): void => {
    req.off('data', onData);
    req.off('end', onEnd);
  };
  const onData = (chunk: Buffer): void => {
    chunks.push(chunk);
    size += chunk.length;
    if (size <= limit) return;
    cleanup();
    const rest = new PassThrough();
    for (const c of chunks) rest.write(c);
    req.pipe(rest); // synchronous: no chunk is emitted between cleanup() and here
    done(null, rest);
  };
  const onEnd = (): void => {
    cleanup();
    done(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size), null);
  };
  req.on('data', onData);
  req.on('end', onEnd);
}
