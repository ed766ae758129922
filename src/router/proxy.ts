// Why: the HTTP front door on $MINIK_PORT. It looks each Host up in the route table the daemon gives it and
// proxies to 127.0.0.1:<port of an up web dyno> — never anywhere else — with Heroku's headers, codes and logs.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createProxyServer, type ProxyServer } from 'http-proxy-3';
import { MinikError, errorMessage } from '../core/errors.js';
import { Balancer } from './balance.js';
import { badRequestPage, errorPage, notFoundPage, prefersJson, rawResponse, sendPage, type Page, type RouterErrorCode } from './errors.js';
import { Exchange } from './exchange.js';
import { setForwardHeaders } from './headers.js';
import { isLocalhostName, isLoopback, requestHost } from './host.js';
import { formatRouterLine, type RequestFacts } from './log.js';
import { lookupRoute, routeAppNames, type Route, type RouteTable } from './table.js';
import { DynoPool } from './pool.js';
import { createTlsServer, type SniCallback } from './tls.js';
import { WS_EXCHANGE, WsExchange, type UpgradeCore } from './ws.js';

/** Why: the daemon configures the router with data and a log callback, nothing else. */
export interface RouterOptions {
  port: number;
  /** Interface to listen on; 127.0.0.1 unless told. */
  host?: string;
  onLog(app: string | null, message: string): void;
  /** Optional metrics hook, called with the facts of every logged request; must only count in memory. */
  onRequest?(app: string | null, facts: RequestFacts): void;
  /** No first response byte within this → H12 (Heroku: 30 s). */
  requestTimeoutMs?: number;
  /** Rolling idle window once the response started → H15 (Heroku: 55 s). */
  idleTimeoutMs?: number;
  /** A dyno that does not accept within this is quarantined and the request retried (H19). */
  connectTimeoutMs?: number;
}

const noop = (): void => {};

/** Why: the route (not the dyno) decides these answers: maintenance, blank app, crashed or no web dynos. */
export function routeErrorCode(route: Route): RouterErrorCode | null {
  if (route.maintenance) return 'H80';
  if (!route.hasRelease) return 'H81';
  if (route.upstreams.length === 0) return route.crashed ? 'H10' : 'H14';
  return null;
}

/** Why: one object owns the listening socket, the keep-alive pool to dynos and every open connection. */
export class Router implements UpgradeCore {
  readonly proxy: ProxyServer;
  readonly balancer = new Balancer();
  readonly requestTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly connectTimeoutMs: number;
  /** The port actually bound (differs from opts.port when that is 0). */
  port: number;
  /** The bound ports as text, for X-Forwarded-Port and redirects to https ('' while HTTPS is off). */
  readonly ports = { http: '', https: '' };
  private readonly host: string;
  /** Idle keep-alive connections to dynos, per port. */
  readonly pool = new DynoPool();
  private readonly server: http.Server;
  /** The HTTPS listener (listenHttps()), sharing every handler with the HTTP one; null while HTTPS is off. */
  private tlsServer: https.Server | null = null;
  /** The HTTPS port actually bound, or null. */
  httpsPort: number | null = null;
  private table: RouteTable = new Map();
  private notFound: { apps: string[]; pages: Map<string, Page> } | null = null;
  private readonly sockets = new Set<Socket>();
  private closing = false;

  constructor(private readonly opts: RouterOptions) {
    this.port = opts.port;
    this.ports.http = String(opts.port);
    this.host = opts.host ?? '127.0.0.1';
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 30_000;
    this.idleTimeoutMs = opts.idleTimeoutMs ?? 55_000;
    this.connectTimeoutMs = opts.connectTimeoutMs ?? 5_000;
    // http-proxy-3 carries upgrades only (the HTTP path is forward.ts); each gets its own connection (ws.ts).
    this.proxy = createProxyServer({ xfwd: false, ws: true });
    this.wireProxy();
    this.server = configure(http.createServer({ connectionsCheckingInterval: 2_000 }, this.onRequest), this.onUpgrade);
  }

  private wireProxy(): void {
    const p = this.proxy;
    p.on('proxyReqWs', (proxyReq, req) => (req as { [WS_EXCHANGE]?: WsExchange })[WS_EXCHANGE]?.onProxyReq(proxyReq));
    // Upgrade errors go to the WsExchange callback; this catches the rest (client socket errors).
    p.on('error', (_err, _req, res) => {
      if (res && !('writeHead' in res)) res.destroy();
    });
  }

  /** Binds opts.host:opts.port; rejects with a MinikError that names the port and MINIK_PORT when it is taken. */
  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException): void => {
        this.server.off('listening', onListening);
        reject(listenError(err, this.opts.port, this.host));
      };
      const onListening = (): void => {
        this.server.off('error', onError);
        this.server.on('error', (err) => this.opts.onLog(null, `at=error desc="router server error: ${errorMessage(err)}"`));
        this.port = (this.server.address() as AddressInfo).port;
        this.ports.http = String(this.port);
        this.notFound = null;
        resolve();
      };
      this.server.once('error', onError);
      this.server.once('listening', onListening);
      this.server.listen(this.opts.port, this.host);
    });
  }

  /**
   * Why: the same router over TLS on `port` (MINIK_HTTPS_PORT), certificates chosen per host by `sni`. Requests on it
   * carry X-Forwarded-Proto https; the HTTP path runs the same code as before. Rejects (naming the port) when
   * it cannot bind: the caller keeps serving HTTP.
   */
  listenHttps(port: number, sni: SniCallback): Promise<void> {
    const server = configure(createTlsServer(sni), this.onUpgradeTls, this.onRequestTls);
    return new Promise((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => reject(listenError(err, port, this.host, 'MINIK_HTTPS_PORT')));
      server.listen(port, this.host, () => {
        server.removeAllListeners('error');
        server.on('error', (err) => this.opts.onLog(null, `at=error desc="https server error: ${errorMessage(err)}"`));
        this.tlsServer = server;
        this.httpsPort = (server.address() as AddressInfo).port;
        this.ports.https = String(this.httpsPort);
        resolve();
      });
    });
  }

  /** True when `host` (a Host header or SNI name) has a route: the only hosts that get a certificate. */
  routes(host: string): boolean {
    return lookupRoute(this.table, host) !== undefined;
  }

  /** Replaces the route table; balancing state (round robin, quarantine) carries over. */
  setTable(table: RouteTable): void {
    this.table = table;
    this.notFound = null;
    this.balancer.retain(routeAppNames(table));
  }

  /** Stops listening and destroys every open connection, upgraded ones included, and the dyno pool. */
  async close(): Promise<void> {
    this.closing = true;
    const closed = Promise.all([this.server, this.tlsServer].map((srv) => srv && new Promise<void>((resolve) => srv.close(() => resolve()))));
    this.server.closeAllConnections();
    this.tlsServer?.closeAllConnections();
    for (const s of this.sockets) s.destroy();
    this.pool.destroy();
    await closed;
  }

  /** Remembers a socket the HTTP server no longer tracks (upgraded ones), so close() can destroy it. */
  trackSocket(socket: Socket): void {
    socket.on('error', noop);
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  /** The host's route in the current table: a retry goes to the dynos up now, not those of the request's start. */
  routeOf(host: string): Route | undefined {
    return lookupRoute(this.table, host);
  }

  /** One formatted line per request to the daemon's callback (nothing once close() has begun). */
  logFacts(app: string | null, facts: RequestFacts): void {
    if (this.closing) return;
    this.opts.onLog(app, formatRouterLine(facts));
    this.opts.onRequest?.(app, facts);
  }

  private readonly onRequest = (req: IncomingMessage, res: ServerResponse): void => this.serve(req, res, 'http', this.ports.http);
  private readonly onRequestTls = (req: IncomingMessage, res: ServerResponse): void => this.serve(req, res, 'https', this.ports.https);
  private readonly onUpgrade = (req: IncomingMessage, duplex: Duplex, head: Buffer): void => this.upgrade(req, duplex, head, 'http', this.ports.http);
  private readonly onUpgradeTls = (req: IncomingMessage, duplex: Duplex, head: Buffer): void => this.upgrade(req, duplex, head, 'https', this.ports.https);

  private serve(req: IncomingMessage, res: ServerResponse, proto: 'http' | 'https', port: string): void {
    const key = requestHost(req);
    if (key === null) {
      res.shouldKeepAlive = false;
      return void sendPage(res, badRequestPage(), prefersJson(req.headers.accept));
    }
    const now = Date.now();
    const route = this.table.get(key);
    setForwardHeaders(req, proto, port, now);
    const code = route === undefined ? 'no_such_app' : routeErrorCode(route);
    if (code === null) return new Exchange(this, req, res, route!).begin();
    const json = prefersJson(req.headers.accept);
    sendPage(res, code === 'no_such_app' ? this.notFoundPage(req, key) : errorPage(code), json);
    this.logFacts(route?.app ?? null, routerFacts(req, code, code === 'no_such_app' ? 404 : 503));
  }

  private upgrade(req: IncomingMessage, duplex: Duplex, head: Buffer, proto: 'http' | 'https', port: string): void {
    const socket = duplex as Socket;
    this.trackSocket(socket);
    const key = requestHost(req);
    if (key === null) {
      socket.end(rawResponse(400, 'Bad Request', badRequestPage(), prefersJson(req.headers.accept)));
      socket.destroySoon();
      return;
    }
    const now = Date.now();
    const route = this.table.get(key);
    setForwardHeaders(req, proto, port, now);
    const code = route === undefined ? 'no_such_app' : routeErrorCode(route);
    if (code === null) {
      if (req.method === 'GET' && req.headers.upgrade?.toLowerCase() === 'websocket') {
        return new WsExchange(this, req, socket, route!, this.balancer.pick(route!, now)!, now).begin(head);
      }
      socket.end(rawResponse(400, 'Bad Request', null)); // minik routes WebSocket upgrades only (no h2c)
      socket.destroySoon();
      return;
    }
    const json = prefersJson(req.headers.accept);
    socket.end(code === 'no_such_app'
      ? rawResponse(404, 'Not Found', this.notFoundPage(req, key), json)
      : rawResponse(503, 'Service Unavailable', errorPage(code), json));
    socket.destroySoon();
    this.logFacts(route?.app ?? null, routerFacts(req, code, code === 'no_such_app' ? 404 : 503));
  }

  /**
   * Why: the 404 for an unknown host lists the apps (a convenience for whoever mistyped a name) only to this machine's
   * own browser: the peer must be loopback (the router may be bound to another interface) and the Host a localhost
   * name (a DNS-rebinding page reaches 127.0.0.1 under its own domain, so its Host is that domain). Anyone else learns
   * only that no app answers on the host they asked for.
   */
  private notFoundPage(req: IncomingMessage, key: string): Page {
    const nf = (this.notFound ??= { apps: routeAppNames(this.table), pages: new Map() });
    const host = req.headers.host!;
    const list = isLocalhostName(key) && isLoopback(req.socket.remoteAddress);
    const cacheKey = list ? `+${host}` : host;
    let p = nf.pages.get(cacheKey);
    if (!p) {
      p = notFoundPage(host, list ? nf.apps : null, this.port);
      if (nf.pages.size < 64) nf.pages.set(cacheKey, p); // a bounded cache: hosts are client-controlled
    }
    return p;
  }
}

/** The log facts of a request the router answered itself, without contacting a dyno. */
function routerFacts(req: IncomingMessage, code: RouterErrorCode | 'no_such_app', status: number): RequestFacts {
  const h = req.headers;
  return {
    code, method: req.method ?? '', path: req.url ?? '', host: h.host ?? '', requestId: h['x-request-id'] as string,
    fwd: h['x-forwarded-for'] as string, dyno: '', connectMs: -1, serviceMs: -1, status, bytes: -1,
    protocol: h['x-forwarded-proto'] as string,
  };
}

/** Why: both listeners get the same limits and handlers (slowloris, oversized heads, socket errors). */
function configure<S extends http.Server>(server: S, onUpgrade: (req: IncomingMessage, d: Duplex, head: Buffer) => void,
  onRequest?: (req: IncomingMessage, res: ServerResponse) => void): S {
  if (onRequest) server.on('request', onRequest);
  server.headersTimeout = 10_000; // slowloris: the whole header block within 10 s
  server.requestTimeout = 120_000; // the whole request, body included
  server.keepAliveTimeout = 60_000;
  server.on('upgrade', onUpgrade);
  server.on('clientError', onClientError);
  server.on('connection', (s: Socket) => s.on('error', noop));
  return server;
}

/** Malformed requests (bad header names, oversized headers, slowloris) get a bare status and are closed. */
function onClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  const s = socket as Socket & { _httpMessage?: ServerResponse };
  if (err.code === 'ECONNRESET' || !s.writable || s._httpMessage?.headersSent) {
    s.destroy();
    return;
  }
  const [status, reason] = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'Request Timeout']
    : err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large'] : [400, 'Bad Request'];
  s.end(rawResponse(status, reason, null));
  s.destroySoon();
}

function listenError(err: NodeJS.ErrnoException, port: number, host: string, variable = 'MINIK_PORT'): MinikError {
  if (err.code === 'EADDRINUSE') {
    return new MinikError(`port ${port} is already in use on ${host}`, {
      hint: `stop what uses it, or set ${variable} to another port (e.g. ${variable}=${port + 1} minik daemon start)`,
      code: 'port_in_use',
    });
  }
  if (err.code === 'EACCES') {
    return new MinikError(`no permission to listen on ${host}:${port}`, {
      hint: `use a port above 1023, e.g. ${variable}=${variable === 'MINIK_PORT' ? 7080 : 7443}`, code: 'port_denied',
    });
  }
  return new MinikError(`cannot listen on ${host}:${port}: ${errorMessage(err)}`, { code: 'listen_failed' });
}
