// Why: the one place an HTTP request's head for a dyno is written. It is serialized by hand from the client's
// raw headers (case and order kept) and sent on a raw keep-alive socket (upstream.ts): measured on this machine
// that costs a fraction of http.request + Agent per request. http-proxy-3 still carries WebSocket upgrades (ws.ts).
import type { IncomingMessage } from 'node:http';

export { DYNO_HOST } from './upstream.js';

/** Request headers not sent on: hop-by-hop ones, framing (re-written below), and those the router sets itself. */
const DROP_REQUEST = new Set([
  // exactly one Host goes out, the one the request was routed by (host.ts validated it)
  'host', 'connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'upgrade', 'content-length', 'transfer-encoding',
  // node's server already answered "100 Continue"; the dyno must not wait for another.
  'expect',
  'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-port', 'x-request-id', 'x-request-start', 'via',
]);
/** Characters that would split or end a header line. */
const UNSAFE = /[\r\n\0]/;

/**
 * Why: node has already de-chunked the client's body, so the router frames it anew: a buffered body by its
 * length, a streamed one by the client's Content-Length when it sent one, else in chunks upstream.ts writes.
 */
export function bodyFraming(req: IncomingMessage, buffered: Buffer | undefined, streamed: boolean): string {
  if (buffered !== undefined) return `Content-Length: ${buffered.length}\r\n`;
  const h = req.headers;
  if (streamed) return h['transfer-encoding'] === undefined ? `Content-Length: ${h['content-length']}\r\n` : 'Transfer-Encoding: chunked\r\n';
  return h['content-length'] === undefined ? '' : 'Content-Length: 0\r\n';
}

/** Thrown when a header value could split the request (node's parser refuses these on input; this is a second guard). */
export class UnsafeHeaderError extends Error {}

/**
 * Why: the request line and headers for the dyno: the client's raw headers minus hop-by-hop and framing ones,
 * plus the forwarding headers computed into req.headers (headers.ts), plus `framing` (bodyFraming()).
 * Throws UnsafeHeaderError on a value containing CR, LF or NUL.
 */
export function requestHead(req: IncomingMessage, framing: string): string {
  const raw = req.rawHeaders;
  const conn = req.headers.connection;
  // Headers the client's Connection header names are hop-by-hop too (RFC 9110 §7.6.1); the common values name none.
  const named = conn === undefined || conn === 'keep-alive' || conn === 'close' ? null : connectionNames(conn);
  let head = `${req.method} ${originForm(req.url)} HTTP/1.1\r\nHost: ${req.headers.host}\r\n`;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (DROP_REQUEST.has(lower) || (named !== null && named.includes(lower))) continue;
    head += line(name, raw[i + 1]!);
  }
  const h = req.headers;
  head += line('X-Forwarded-For', h['x-forwarded-for'] as string) + line('X-Forwarded-Proto', h['x-forwarded-proto'] as string) +
    line('X-Forwarded-Port', h['x-forwarded-port'] as string) + line('X-Request-Id', h['x-request-id'] as string) +
    line('X-Request-Start', h['x-request-start'] as string) + line('Via', h.via as string);
  return head + framing + '\r\n';
}

/** The lower-case header names a Connection value lists, besides close and keep-alive. */
function connectionNames(value: string): string[] {
  return value.toLowerCase().split(',').map((t) => t.trim()).filter((t) => t !== '' && t !== 'close' && t !== 'keep-alive');
}

function line(name: string, value: string): string {
  if (UNSAFE.test(value)) throw new UnsafeHeaderError(`unsafe value in header ${name}`);
  return `${name}: ${value}\r\n`;
}

/** `http://host/p?q` (absolute-form) → `/p?q`; the dyno is chosen by the route, never by the request line. */
function originForm(url: string | undefined): string {
  if (url === undefined || url === '') return '/';
  const c = url.charCodeAt(0);
  if (c === 47 /* / */ || url === '*') return url;
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return '/';
  }
}
