// Why: WebSocket (Upgrade) requests go through the same route checks and headers as HTTP, then the two
// sockets are piped with no idle limit (Dokku #4042: proxies must not cut quiet WebSockets).
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { ProxyServer } from 'http-proxy-3';
import { CONNECT_TIMEOUT, type RouterCore } from './exchange.js';
import { errorPage, prefersJson, rawResponse, type RouterErrorCode } from './errors.js';
import { DYNO_HOST } from './forward.js';
import type { RequestFacts } from './log.js';
import type { Route, Upstream } from './table.js';

/** Why: links an upgrade request to its state for the proxy's shared event handlers. */
export const WS_EXCHANGE = Symbol('minik.ws');
type Tagged = { [WS_EXCHANGE]?: WsExchange };

/** Why: what the upgrade path needs beyond RouterCore: http-proxy-3 and a registry of sockets close() destroys. */
export interface UpgradeCore extends RouterCore {
  readonly proxy: ProxyServer;
  trackSocket(socket: Socket): void;
}

/** Why: one upgrade request's state; it doubles as the facts of its log line. */
export class WsExchange implements RequestFacts {
  code: RouterErrorCode | null = null;
  readonly method: string;
  readonly path: string;
  readonly host: string;
  readonly requestId: string;
  readonly fwd: string;
  readonly protocol: string;
  readonly dyno: string;
  connectMs = -1;
  serviceMs = -1;
  status = 0;
  bytes = 0;

  private proxyReq: ClientRequest | null = null;
  private upgraded = false;
  private logged = false;
  private timer: NodeJS.Timeout | undefined = undefined;

  constructor(private readonly core: UpgradeCore, readonly req: IncomingMessage, readonly socket: Socket,
    readonly route: Route, readonly upstream: Upstream, private readonly start: number) {
    const h = req.headers;
    this.method = req.method ?? '';
    this.path = req.url ?? '';
    this.host = h.host ?? '';
    this.requestId = h['x-request-id'] as string;
    this.fwd = h['x-forwarded-for'] as string;
    this.protocol = h['x-forwarded-proto'] as string;
    this.dyno = upstream.dyno;
    (req as Tagged)[WS_EXCHANGE] = this;
  }

  /** Hands the upgrade to http-proxy-3. */
  begin(head: Buffer): void {
    // A fresh connection per upgrade (upgraded sockets leave any pool); DYNO_HOST only, like the HTTP path.
    const opts = { target: { host: DYNO_HOST, port: this.upstream.port }, agent: false };
    this.socket.once('close', () => {
      if (!this.upgraded) this.proxyReq?.destroy();
    });
    this.core.proxy.ws(this.req, this.socket, head, opts, onWsError);
  }

  /** The request to the dyno exists: time it and watch how the dyno answers. */
  onProxyReq(proxyReq: ClientRequest): void {
    this.proxyReq = proxyReq;
    this.timer = setTimeout(onWsTimeout, this.core.requestTimeoutMs, this);
    proxyReq.once('socket', (s: Socket) => {
      s.once('connect', () => { this.connectMs = Date.now() - this.start; });
    });
    proxyReq.once('upgrade', (_res: IncomingMessage, proxySocket: Socket) => this.onUpgrade(proxySocket));
    proxyReq.once('response', (res: IncomingMessage) => {
      // Not a WebSocket endpoint: http-proxy-3 relays the answer and closes the client socket.
      this.status = res.statusCode ?? 0;
      this.log();
    });
  }

  private onUpgrade(proxySocket: Socket): void {
    this.upgraded = true;
    this.status = 101;
    this.core.trackSocket(proxySocket);
    const client = this.socket;
    // Small frames both ways: no Nagle delay on either hop (http-proxy-3 sets this too; we do not rely on it).
    client.setNoDelay(true);
    proxySocket.setNoDelay(true);
    if (client.destroyed) proxySocket.destroy();
    // http-proxy-3 only end()s the other side; destroy so neither socket is left half-open.
    client.once('close', () => proxySocket.destroy());
    proxySocket.once('close', () => client.destroySoon());
    this.log();
  }

  /** Errors before the upgrade get a 503 page; after it the session is simply over. */
  onError(err: NodeJS.ErrnoException): void {
    if (this.upgraded || this.logged) return;
    if (this.socket.destroyed) return this.finish('H27');
    const refused = err.code === 'ECONNREFUSED' || err.code === CONNECT_TIMEOUT;
    if (refused) this.core.balancer.quarantine(this.upstream.port, Date.now());
    this.finish(refused ? 'H21' : 'H13');
  }

  onTimeout(): void {
    if (this.upgraded || this.logged) return;
    const connected = this.connectMs >= 0;
    if (!connected) this.core.balancer.quarantine(this.upstream.port, Date.now());
    this.finish(connected ? 'H12' : 'H19');
    this.proxyReq?.destroy();
  }

  /** Writes the error page (http-proxy-3 closes the socket after its error callback) and logs. */
  private finish(code: RouterErrorCode): void {
    this.code = code;
    const s = this.socket;
    if (code !== 'H27' && s.writable) {
      s.write(rawResponse(503, 'Service Unavailable', errorPage(code), prefersJson(this.req.headers.accept)));
    }
    this.log();
  }

  private log(): void {
    if (this.logged) return;
    this.logged = true;
    clearTimeout(this.timer);
    if (this.code !== null) this.status = this.code === 'H27' ? 499 : 503;
    this.serviceMs = Date.now() - this.start;
    this.core.logFacts(this.route.app, this);
  }
}

function onWsError(err: Error, req: IncomingMessage): void {
  (req as Tagged)[WS_EXCHANGE]?.onError(err as NodeJS.ErrnoException);
}
function onWsTimeout(ex: WsExchange): void {
  ex.onTimeout();
}
