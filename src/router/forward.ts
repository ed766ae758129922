// Why: the HTTP path talks to dynos with node:http directly. Measured on this machine it costs ~40% less CPU
// per request than http-proxy-3's web pass (per-request URL parsing, option spreads, closures, process.env
// reads); http-proxy-3 still carries WebSocket upgrades (ws.ts), where its handling is worth having.
import http, { type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http';

/** Dynos listen here and nowhere else; the router never proxies to any other address. */
export const DYNO_HOST = '127.0.0.1';

/** Request headers not sent on: hop-by-hop ones, and those the router sets itself (appended from req.headers). */
const DROP_REQUEST = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'upgrade',
  // node's server already answered "100 Continue"; the dyno must not wait for another.
  'expect',
  'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-port', 'x-request-id', 'x-request-start', 'via',
]);
/** Also dropped when the router re-frames a buffered body with its own Content-Length. */
const DROP_FRAMING = new Set(['content-length', 'transfer-encoding']);
/** Response headers about the dyno's connection, not the client's (node sets its own). */
const DROP_RESPONSE = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'trailer']);

/**
 * Why: the one place an HTTP request leaves the router: to 127.0.0.1:port of a dyno. Headers go as a flat
 * array built from the client's raw headers (case and order kept), minus hop-by-hop ones, plus the
 * forwarding headers already computed into req.headers. `bodyLength` re-frames a buffered body.
 */
export function dynoRequest(req: IncomingMessage, port: number, agent: http.Agent, bodyLength?: number): ClientRequest {
  const raw = req.rawHeaders;
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (DROP_REQUEST.has(name) || (bodyLength !== undefined && DROP_FRAMING.has(name))) continue;
    out.push(raw[i]!, raw[i + 1]!);
  }
  const h = req.headers;
  out.push('X-Forwarded-For', h['x-forwarded-for'] as string, 'X-Forwarded-Proto', h['x-forwarded-proto'] as string,
    'X-Forwarded-Port', h['x-forwarded-port'] as string, 'X-Request-Id', h['x-request-id'] as string,
    'X-Request-Start', h['x-request-start'] as string, 'Via', h.via as string);
  if (bodyLength !== undefined) out.push('Content-Length', String(bodyLength));
  return http.request({ host: DYNO_HOST, port, agent, method: req.method, path: originForm(req.url), headers: out, setHost: false });
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

/** Why: copies the dyno's status and end-to-end headers (raw, so case is kept) onto the client response; throws if node rejects them. */
export function relayHead(res: ServerResponse, proxyRes: IncomingMessage): void {
  const raw = proxyRes.rawHeaders;
  let headers = raw;
  for (let i = 0; i < raw.length; i += 2) {
    if (!DROP_RESPONSE.has(raw[i]!.toLowerCase())) continue;
    headers = [];
    for (let j = 0; j < raw.length; j += 2) if (!DROP_RESPONSE.has(raw[j]!.toLowerCase())) headers.push(raw[j]!, raw[j + 1]!);
    break;
  }
  const reason = proxyRes.statusMessage;
  if (reason) res.writeHead(proxyRes.statusCode ?? 502, reason, headers);
  else res.writeHead(proxyRes.statusCode ?? 502, headers);
}
