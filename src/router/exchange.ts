// Why: one HTTP request's life through the router — pick a dyno, retry on a refused connection, time out,
// classify failures as Heroku's codes, and log one line at the end. Listeners are shared module functions
// that find the exchange through a symbol, so a request allocates no closures of its own.
import type { Agent, ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import type { Balancer } from './balance.js';
import { BODY_BUFFER_LIMIT, bodyKind, bufferBody } from './body.js';
import { errorPage, prefersJson, sendPage, type RouterErrorCode } from './errors.js';
import { dynoRequest, relayHead } from './forward.js';
import type { RequestFacts } from './log.js';
import type { Route, Upstream } from './table.js';

const EXCHANGE = Symbol('minik.exchange');
type Tagged = { [EXCHANGE]?: Exchange };

/** Why: what an exchange needs from its router, so this file does not depend on the Router class. */
export interface RouterCore {
  readonly agent: Agent;
  readonly balancer: Balancer;
  readonly requestTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly connectTimeoutMs: number;
  logFacts(app: string | null, facts: RequestFacts): void;
}

/** The error code our own connect timer destroys a dyno request with. */
export const CONNECT_TIMEOUT = 'MINIK_CONNECT_TIMEOUT';
/**
 * Requests with these methods are retried on another dyno when the connection fails before any response byte
 * (nginx's proxy_next_upstream rule): a reused keep-alive socket the dyno had just closed, or a dyno that died mid-request.
 */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

/** Why: the state of one proxied request; it doubles as the facts of its log line. */
export class Exchange implements RequestFacts {
  code: RouterErrorCode | null = null;
  readonly method: string;
  readonly path: string;
  readonly host: string;
  readonly requestId: string;
  readonly fwd: string;
  readonly protocol = 'http';
  dyno = '';
  connectMs = -1;
  serviceMs = -1;
  status = 0;
  bytes = -1;

  private upstream: Upstream | undefined = undefined;
  private tried: number[] | undefined = undefined;
  private attempts = 0;
  private dispatchedAt = 0;
  private connectStartedAt = 0;
  private proxyReq: ClientRequest | null = null;
  private proxyRes: IncomingMessage | null = null;
  /** A buffered body: sent again on a retry. */
  private bodyBuf: Buffer | undefined = undefined;
  /** A streamed body (req itself, or a stream replaying what was read of it): sent once, never retried. */
  private bodyStream: Readable | undefined = undefined;
  private closed = false;
  /** The code of the last connection failure, answered when no dyno is left to try. */
  private lastFailure: 'H13' | 'H19' | 'H21' = 'H21';
  private timer: NodeJS.Timeout | undefined = undefined;
  private connectTimer: NodeJS.Timeout | undefined = undefined;

  constructor(private readonly core: RouterCore, readonly req: IncomingMessage, readonly res: ServerResponse,
    readonly route: Route) {
    const h = req.headers;
    this.method = req.method ?? '';
    this.path = req.url ?? '';
    this.host = h.host ?? '';
    this.requestId = h['x-request-id'] as string;
    this.fwd = h['x-forwarded-for'] as string;
    (res as Tagged)[EXCHANGE] = this;
    res.once('close', onResClose);
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

  private dispatch(): void {
    if (this.closed || this.code !== null) return;
    const now = Date.now();
    const up = this.core.balancer.pick(this.route, now, this.tried);
    if (up === undefined) return this.fail(this.lastFailure);
    this.upstream = up;
    this.dyno = up.dyno;
    this.attempts++;
    this.connectMs = -1;
    if (this.dispatchedAt === 0) {
      this.dispatchedAt = now;
      this.timer = setTimeout(onRequestTimeout, this.core.requestTimeoutMs, this);
    }
    let proxyReq: ClientRequest;
    try {
      proxyReq = dynoRequest(this.req, up.port, this.core.agent, this.bodyBuf?.length);
    } catch {
      return this.fail('H13'); // node refused to send this request on (e.g. a header it will not write)
    }
    this.proxyReq = proxyReq;
    (proxyReq as Tagged)[EXCHANGE] = this;
    proxyReq.on('socket', onSocket);
    proxyReq.on('response', onResponse);
    proxyReq.on('error', onProxyReqError);
    if (this.bodyStream) this.bodyStream.pipe(proxyReq);
    else proxyReq.end(this.bodyBuf);
  }

  /** The request to the dyno has a socket: time the connection if it is a new one. */
  onSocket(proxyReq: ClientRequest, socket: Socket): void {
    if (proxyReq !== this.proxyReq) return;
    if (!socket.connecting) {
      this.connectMs = 0;
      return;
    }
    this.connectStartedAt = Date.now();
    this.connectTimer = setTimeout(onConnectTimeout, this.core.connectTimeoutMs, this);
    socket.once('connect', () => {
      if (this.proxyReq !== proxyReq) return;
      clearTimeout(this.connectTimer);
      this.connectMs = Date.now() - this.connectStartedAt;
    });
  }

  /** The dyno answered: relay it; from now on a rolling idle window applies (H15). */
  onResponse(proxyReq: ClientRequest, proxyRes: IncomingMessage): void {
    if (proxyReq !== this.proxyReq || this.closed || this.code !== null) {
      proxyRes.resume();
      return;
    }
    clearTimeout(this.connectTimer);
    clearTimeout(this.timer);
    if (this.connectMs < 0) this.connectMs = 0;
    this.status = proxyRes.statusCode ?? 0;
    try {
      relayHead(this.res, proxyRes);
    } catch {
      proxyRes.resume();
      return this.fail('H13'); // headers node refuses to send on: treat as no usable response
    }
    this.proxyRes = proxyRes;
    this.bytes = 0;
    (proxyRes as Tagged)[EXCHANGE] = this;
    proxyRes.on('data', onResponseData);
    proxyRes.on('end', onResponseEnd);
    proxyRes.on('error', onResponseError);
    this.res.on('drain', onResDrain);
    this.timer = setTimeout(onIdleTimeout, this.core.idleTimeoutMs, this);
  }

  onData(proxyRes: IncomingMessage, chunk: Buffer): void {
    this.bytes += chunk.length;
    this.timer?.refresh();
    if (!this.res.write(chunk)) proxyRes.pause();
  }

  onDrain(): void {
    this.proxyRes?.resume();
  }

  /** Connection-level failures: retry on another dyno while that is safe, else answer with the code. */
  onError(proxyReq: ClientRequest, err: NodeJS.ErrnoException): void {
    if (proxyReq !== this.proxyReq || this.closed || this.code !== null) return;
    clearTimeout(this.connectTimer);
    if (this.proxyRes !== null || this.res.headersSent) return this.abort('H18');
    const port = this.upstream!.port;
    const refused = err.code === 'ECONNREFUSED' || err.code === CONNECT_TIMEOUT;
    const staleSocket = !refused && proxyReq.reusedSocket;
    this.lastFailure = err.code === CONNECT_TIMEOUT ? 'H19' : refused ? 'H21' : 'H13';
    if (!staleSocket) {
      // Refused, timed out, or reset on a fresh connection: this dyno is failing, send nothing more its way for a while.
      this.core.balancer.quarantine(port, Date.now());
      (this.tried ??= []).push(port);
    }
    const safe = refused || IDEMPOTENT.has(this.method);
    if (safe && this.bodyStream === undefined && this.attempts <= this.route.upstreams.length) {
      return this.dispatch();
    }
    this.fail(this.lastFailure);
  }

  onTimeout(): void {
    if (!this.closed && this.proxyRes === null && this.code === null) this.fail('H12');
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
    this.proxyReq?.destroy();
    this.res.destroy();
  }

  connectTimedOut(): void {
    const err: NodeJS.ErrnoException = new Error(`no connection within ${this.core.connectTimeoutMs}ms`);
    err.code = CONNECT_TIMEOUT;
    this.proxyReq?.destroy(err);
  }

  private fail(code: RouterErrorCode): void {
    this.code = code;
    clearTimeout(this.timer);
    clearTimeout(this.connectTimer);
    const pr = this.proxyReq;
    if (pr && !pr.destroyed) pr.destroy();
    if (this.bodyStream) {
      this.bodyStream.unpipe(); // drain what the client still sends, so its connection can answer and close cleanly
      this.bodyStream.resume();
    }
    if (this.res.headersSent) this.res.destroy();
    else sendPage(this.res, errorPage(code), prefersJson(this.req.headers.accept));
  }

  /** The client response is over, one way or another: free the dyno request and log exactly one line. */
  onClose(): void {
    this.closed = true;
    clearTimeout(this.timer);
    clearTimeout(this.connectTimer);
    if (!this.res.writableFinished) {
      this.proxyReq?.destroy(); // no backend socket outlives its client
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
function onSocket(this: ClientRequest, socket: Socket): void { exchangeOf(this)?.onSocket(this, socket); }
function onResponse(this: ClientRequest, proxyRes: IncomingMessage): void { exchangeOf(this)?.onResponse(this, proxyRes); }
function onProxyReqError(this: ClientRequest, err: Error): void { exchangeOf(this)?.onError(this, err as NodeJS.ErrnoException); }
function onResponseData(this: IncomingMessage, chunk: Buffer): void { exchangeOf(this)?.onData(this, chunk); }
function onResponseEnd(this: IncomingMessage): void { exchangeOf(this)?.res.end(); }
function onResponseError(this: IncomingMessage): void { exchangeOf(this)?.abort('H18'); }
function onRequestTimeout(ex: Exchange): void { ex.onTimeout(); }
function onIdleTimeout(ex: Exchange): void { ex.onIdle(); }
function onConnectTimeout(ex: Exchange): void { ex.connectTimedOut(); }
