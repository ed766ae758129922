// Why: one HTTP request's life through the router — pick a dyno, retry when a connection cannot be made, time out,
// classify failures as Heroku's codes, and log one line at the end. Listeners are shared module functions
// that find the exchange through a symbol, so a request allocates no closures of its own.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Balancer } from './balance.js';
import { BODY_BUFFER_LIMIT, bodyKind, bufferBody } from './body.js';
import { errorPage, prefersJson, sendPage, type RouterErrorCode } from './errors.js';
import { bodyFraming, requestHead } from './forward.js';
import { localHttpsLocation } from './redirect.js';
import type { RequestFacts } from './log.js';
import type { Route, Upstream } from './table.js';
import type { DynoPool } from './pool.js';
import { INVALID_RESPONSE, type ConnOwner, type DynoConn } from './upstream.js';

const EXCHANGE = Symbol('minik.exchange');
type Tagged = { [EXCHANGE]?: Exchange };

/** Why: what an exchange needs from its router, so this file does not depend on the Router class. */
export interface RouterCore {
  readonly pool: DynoPool;
  readonly balancer: Balancer;
  readonly requestTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly connectTimeoutMs: number;
  /** The HTTP port and the HTTPS port ('' while HTTPS is off), as the client typed them. */
  readonly ports: { readonly http: string; readonly https: string };
  logFacts(app: string | null, facts: RequestFacts): void;
  /** The host's route in the current table (a deploy may have replaced the dynos since the request began). */
  routeOf(host: string): Route | undefined;
}

/** The error code our own connect timer destroys a dyno request with. */
export const CONNECT_TIMEOUT = 'MINIK_CONNECT_TIMEOUT';
/**
 * The one exception to "a written request is never sent again": a GET-like request whose pooled keep-alive socket
 * failed before any response byte, because the dyno may have closed it while idle just as the request left. It is
 * sent once more on a fresh connection to the same dyno (never another one): if that dyno died, the retry is
 * refused and the client gets H13, so a query of death still takes down only the dyno that received it.
 */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

/** Why: the state of one proxied request; it doubles as the facts of its log line. */
export class Exchange implements RequestFacts, ConnOwner {
  code: RouterErrorCode | null = null;
  readonly method: string;
  readonly path: string;
  readonly host: string;
  readonly requestId: string;
  readonly fwd: string;
  readonly protocol: string;
  dyno = '';
  connectMs = -1;
  serviceMs = -1;
  status = 0;
  bytes = -1;

  private tried: number[] | undefined = undefined;
  private attempts = 0;
  private dispatchedAt = 0;
  private connectStartedAt = 0;
  /** The dyno connection carrying the current attempt (null before, between and after attempts). */
  private conn: DynoConn | null = null;
  /** The dyno's response head was relayed: from now on a failure cuts the client (H18). */
  private responding = false;
  private drainHooked = false;
  /** The last body piece read, held back so a response read whole goes out with res.end(piece). */
  private held: Buffer | null = null;
  /** The request head for the dyno, written once and sent again on a retry. */
  private head: string | null = null;
  /** A buffered body: sent again on a retry. */
  private bodyBuf: Buffer | undefined = undefined;
  /** A streamed body (req itself, or a stream replaying what was read of it): sent once, never retried. */
  private bodyStream: Readable | undefined = undefined;
  private closed = false;
  /** The code of the last connection failure, answered when no dyno is left to try. */
  private lastFailure: 'H19' | 'H21' = 'H21';
  /** A dyno may have received the request: from now on it goes to no other dyno (query of death). */
  private delivered = false;
  private timer: NodeJS.Timeout | undefined = undefined;
  private connectTimer: NodeJS.Timeout | undefined = undefined;

  constructor(private readonly core: RouterCore, readonly req: IncomingMessage, readonly res: ServerResponse,
    public route: Route) {
    const h = req.headers;
    this.method = req.method ?? '';
    this.path = req.url ?? '';
    this.host = h.host ?? '';
    this.requestId = h['x-request-id'] as string;
    this.fwd = h['x-forwarded-for'] as string;
    this.protocol = h['x-forwarded-proto'] as string;
    (res as Tagged)[EXCHANGE] = this;
    res.on('close', onResClose); // 'close' fires once; on() spares the once() wrapper
  }

  /** Starts proxying: at once for requests without a body, after buffering a small one. */
  begin(): void {
    const kind = bodyKind(this.req);
    if (kind === 'none') return this.dispatch();
    if (kind === 'stream') {
      this.bodyStream = this.req;
      return this.dispatch();
    }
    bufferBody(this.req, BODY_BUFFER_LIMIT, (buf, rest) => {
      if (buf) this.bodyBuf = buf;
      else this.bodyStream = rest!;
      this.dispatch();
    });
  }

  /** Sends the request to `to` (a retry on the same dyno), or to the dyno the balancer picks. */
  private dispatch(to?: Upstream): void {
    if (this.closed || this.code !== null) return;
    const now = Date.now();
    if (this.attempts > 0 && to === undefined) this.route = this.currentRoute(); // a retry goes to the dynos up now
    const up = to ?? this.core.balancer.pick(this.route, now, this.tried);
    if (up === undefined) return this.fail(this.lastFailure);
    this.dyno = up.dyno;
    this.attempts++;
    this.connectMs = -1;
    if (this.dispatchedAt === 0) {
      this.dispatchedAt = now;
      this.timer = setTimeout(onRequestTimeout, this.core.requestTimeoutMs, this);
    }
    try {
      this.head ??= requestHead(this.req, bodyFraming(this.req, this.bodyBuf, this.bodyStream !== undefined));
    } catch {
      return this.fail('H13'); // a header value that could split the request: never sent on
    }
    const conn = this.core.pool.acquire(up.port);
    this.conn = conn;
    if (conn.socket.connecting) {
      this.connectStartedAt = now;
      this.connectTimer = setTimeout(onConnectTimeout, this.core.connectTimeoutMs, this);
    } else this.connectMs = 0;
    conn.send(this, this.head, this.bodyBuf, this.method === 'HEAD');
    if (this.bodyStream) conn.streamBody(this.bodyStream, this.req.headers['transfer-encoding'] !== undefined);
  }

  /** The route as the table has it now, if it still sends this host to the same app with dynos up. */
  /** True when the current route no longer sends traffic to this dyno port (minik is stopping it). */
  private retired(port: number): boolean {
    const r = this.core.routeOf(this.host);
    return r !== undefined && r.app === this.route.app && r.upstreams.length > 0 && !r.upstreams.some((u) => u.port === port);
  }

  private currentRoute(): Route {
    const r = this.core.routeOf(this.host);
    return r !== undefined && r.app === this.route.app && r.upstreams.length > 0 ? r : this.route;
  }

  /** A new connection to the dyno is up: record how long it took. */
  onConnect(): void {
    clearTimeout(this.connectTimer);
    this.connectMs = Date.now() - this.connectStartedAt;
  }

  /** The dyno answered: relay the head; from now on a rolling idle window applies (H15). */
  onResponseHead(status: number, reason: string, headers: string[]): void {
    clearTimeout(this.connectTimer);
    clearTimeout(this.timer);
    if (this.connectMs < 0) this.connectMs = 0;
    this.status = status;
    if (status >= 300 && status < 400 && this.protocol === 'http' && this.core.ports.https) pointAtHttps(headers, this.host, this.core.ports);
    try {
      if (reason) this.res.writeHead(status, reason, headers);
      else this.res.writeHead(status, headers);
    } catch {
      return this.fail('H17'); // a status or header node refuses to send on (status 000, a CTL in the reason): not HTTP it can relay
    }
    this.responding = true;
    this.bytes = 0;
    this.timer = undefined; // the idle window starts only if the body outlasts this read (onResponsePartial)
  }

  onResponseBody(chunk: Buffer): void {
    this.bytes += chunk.length;
    this.timer?.refresh();
    this.writeHeld();
    this.held = chunk; // a view of the dyno's read, used before that read's handling returns
  }

  private writeHeld(): void {
    const chunk = this.held;
    if (chunk === null) return;
    this.held = null;
    if (this.res.write(chunk)) return;
    this.conn?.pause();
    if (!this.drainHooked) {
      this.drainHooked = true;
      this.res.on('drain', onResDrain);
    }
  }

  /** The body continues past this read: from now on a rolling idle window applies (H15). */
  onResponsePartial(): void {
    this.writeHeld();
    this.timer ??= setTimeout(onIdleTimeout, this.core.idleTimeoutMs, this);
  }

  /** The whole response was read (its connection is already pooled or closed). */
  onResponseEnd(): void {
    this.conn = null;
    this.bodyStream?.resume(); // the dyno answered before reading the whole body: let the client finish sending
    const last = this.held;
    this.held = null;
    if (last === null) this.res.end();
    else this.res.end(last);
  }

  onDrain(): void {
    this.conn?.resume();
  }

  /**
   * Why: connection-level failures. Heroku's rule: the request goes to another dyno only when the connection could
   * not be made (refused, connect timeout), never once it was written, so a request that makes its dyno exit takes
   * down that dyno alone (H13) instead of every dyno in turn. A response that cannot be parsed is H17, never retried.
   */
  onConnError(conn: DynoConn, code: string): void {
    if (conn !== this.conn || this.closed || this.code !== null) return;
    this.conn = null;
    clearTimeout(this.connectTimer);
    if (this.responding || this.res.headersSent) return this.abort('H18');
    const port = conn.port;
    this.core.pool.flush(port);
    if (code === INVALID_RESPONSE) return this.fail('H17');
    const now = Date.now();
    const connected = this.connectMs >= 0;
    if (!connected || !conn.written) { // the dyno did not see the request: it may go to another one
      if (!connected) { // refused or timed out: this dyno is failing
        this.core.balancer.quarantine(port, now);
        (this.tried ??= []).push(port);
        this.lastFailure = code === CONNECT_TIMEOUT ? 'H19' : 'H21';
      } // else a pooled socket that closed before the request was written to it (the dyno restarted, or timed it out)
      if (this.delivered && !this.retired(port)) return this.fail('H13'); // the dyno that had the request went away
      if (this.bodyStream === undefined && this.attempts <= this.route.upstreams.length + 1) return this.dispatch();
      return this.fail(connected ? 'H13' : this.lastFailure);
    }
    if (conn.reused && !conn.received && !this.delivered && this.bodyStream === undefined && IDEMPOTENT.has(this.method)) {
      this.delivered = true;
      // A dyno minik has retired (a deploy, scale or restart moved traffic away) closed its idle sockets on SIGTERM:
      // it did not die of this request, so the request goes to the dynos that serve now.
      if (this.retired(port)) return this.dispatch();
      return this.dispatch({ dyno: this.dyno, port }); // see IDEMPOTENT: the same dyno, on a fresh connection
    }
    if (!conn.reused) this.core.balancer.quarantine(port, now); // it failed on a fresh connection: spare it a while
    this.fail('H13');
  }

  onTimeout(): void {
    if (!this.closed && !this.responding && this.code === null) this.fail('H12');
  }

  onIdle(): void {
    if (this.closed || this.code !== null || this.res.writableEnded) return;
    if (this.res.writableNeedDrain) {
      this.timer?.refresh(); // the client is the slow one, not the dyno
      return;
    }
    this.abort('H15');
  }

  /** The dyno's response broke off mid-way (H18), or went idle (H15): the client connection is cut. */
  abort(code: RouterErrorCode): void {
    if (this.closed || this.code !== null) return;
    this.code = code;
    this.dropConn();
    this.res.destroy();
  }

  connectTimedOut(): void {
    this.conn?.fail(CONNECT_TIMEOUT);
  }

  private dropConn(): void {
    this.held = null;
    const c = this.conn;
    this.conn = null;
    c?.destroy(); // never back to the pool: its response was not read to the end
  }

  private fail(code: RouterErrorCode): void {
    this.code = code;
    clearTimeout(this.timer);
    clearTimeout(this.connectTimer);
    this.dropConn();
    this.bodyStream?.resume(); // drain what the client still sends, so its connection can answer and close cleanly
    if (this.res.headersSent) this.res.destroy();
    else sendPage(this.res, errorPage(code), prefersJson(this.req.headers.accept));
  }

  /** The client response is over, one way or another: free the dyno connection and log exactly one line. */
  onClose(): void {
    this.closed = true;
    clearTimeout(this.timer);
    clearTimeout(this.connectTimer);
    if (!this.res.writableFinished) {
      this.dropConn(); // no backend socket outlives its client
      this.code ??= 'H27';
    }
    if (this.code !== null) this.status = this.code === 'H27' ? 499 : 503;
    if (this.dispatchedAt !== 0) {
      this.serviceMs = Date.now() - this.dispatchedAt;
      if (this.bytes < 0) this.bytes = 0;
    }
    this.core.logFacts(this.route.app, this);
  }
}

const exchangeOf = (o: unknown): Exchange | undefined => (o as Tagged)[EXCHANGE];

function onResClose(this: ServerResponse): void { exchangeOf(this)?.onClose(); }
function onResDrain(this: ServerResponse): void { exchangeOf(this)?.onDrain(); }
function onRequestTimeout(ex: Exchange): void { ex.onTimeout(); }

/** A redirect of the app's own host to https goes to the router's HTTPS port (see redirect.ts); `headers` are name, value pairs. */
function pointAtHttps(headers: string[], host: string, ports: RouterCore['ports']): void {
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i]!.toLowerCase() !== 'location') continue;
    const to = localHttpsLocation(headers[i + 1]!, host, ports.http, ports.https);
    if (to !== null) headers[i + 1] = to;
  }
}
function onIdleTimeout(ex: Exchange): void { ex.onIdle(); }
function onConnectTimeout(ex: Exchange): void { ex.connectTimedOut(); }
