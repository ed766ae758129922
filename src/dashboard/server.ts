// Why: the dashboard's HTTP server on 127.0.0.1:MINIK_DASHBOARD_PORT (never the apps' *.localhost origin).
// Every request passes security.ts first; every change calls the same Platform / capability method the CLI's
// API calls, so no rule is duplicated here.
import { readFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { configSet, configUnset } from '../api/config.js';
import { readJson, sendError, sendJson } from '../api/http.js';
import type { Autoscaler } from '../autoscale/index.js';
import { invalid, MinikError, notFound } from '../core/errors.js';
import { validateAppName } from '../core/names.js';
import type { Platform } from '../deploy/platform.js';
import type { AddonSource } from './state.js';
import type { Metrics } from '../metrics/index.js';
import { appPage, appsPage, loginPage } from './pages.js';
import { checkChange, checkHost, COOKIE, cookieValue, sessionCookie, Sessions } from './security.js';
import { openEvents } from './events.js';
import { appRows, appState } from './state.js';

/** What the dashboard needs from the daemon. */
export interface DashboardDeps {
  platform: Platform;
  metrics: Metrics;
  autoscaler: Autoscaler;
  /** The add-on manager, for the app page's Add-ons section. */
  addons?: AddonSource;
  port: number;
}

const HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
};
const ASSETS: Record<string, string> = { 'main.js': 'text/javascript; charset=utf-8', 'main.css': 'text/css; charset=utf-8' };
const silent = { log() {} };

/** The dashboard: an HTTP server plus its login tokens and sessions. */
export class Dashboard {
  readonly sessions = new Sessions();
  readonly server: http.Server;
  readonly #assets = new Map<string, Buffer>();

  constructor(private readonly d: DashboardDeps) {
    for (const name of Object.keys(ASSETS)) {
      try {
        this.#assets.set(name, readFileSync(new URL(`./assets/${name}`, import.meta.url)));
      } catch {
        // not built (unit tests run from src/): pages still render, without the client
      }
    }
    this.server = http.createServer((req, res) => void this.#handle(req, res));
  }

  /** Listens on 127.0.0.1 only. */
  listen(): Promise<void> {
    return new Promise((resolve, reject) => this.server.once('error', reject).listen(this.d.port, '127.0.0.1', () => resolve()));
  }

  /** Closes the server and every open event stream. */
  close(): void {
    this.server.closeAllConnections();
    this.server.close();
  }

  /** A one-time login URL (the token is valid once, for two minutes). */
  loginUrl(): string {
    if (!this.server.listening) throw new MinikError(`the dashboard is not running: 127.0.0.1:${this.d.port} was busy when the daemon started`, { hint: 'set MINIK_DASHBOARD_PORT to a free port, then minik daemon stop and try again' });
    return `http://127.0.0.1:${this.d.port}/login?token=${this.sessions.mintLogin()}`;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [k, v] of Object.entries(HEADERS)) res.setHeader(k, v);
    try {
      const hostRefusal = checkHost(req.headers.host, this.d.port);
      if (hostRefusal) return refuse(res, hostRefusal);
      const url = new URL(req.url ?? '/', 'http://dashboard');
      if (req.method === 'GET' && url.pathname === '/login') return this.#login(res, url.searchParams.get('token') ?? '');
      if (req.method === 'GET' && url.pathname.startsWith('/assets/')) return this.#asset(res, url.pathname.slice(8));
      const csrf = this.sessions.csrf(cookieValue(req.headers.cookie, COOKIE));
      if (csrf === null) {
        if (url.pathname.startsWith('/api/') || req.method !== 'GET') return refuse(res, { status: 401, message: 'not signed in: run minik dashboard' });
        return html(res, 401, loginPage());
      }
      if (req.method !== 'GET') {
        const change = checkChange(req.headers, csrf);
        if (change) return refuse(res, change);
      }
      await this.#route(req, res, url, csrf);
    } catch (err) {
      sendError(res, err);
    }
  }

  #login(res: ServerResponse, token: string): void {
    const session = this.sessions.exchange(token);
    if (!session) return html(res, 401, loginPage());
    res.writeHead(303, { location: '/', 'set-cookie': sessionCookie(session) }).end();
  }

  #asset(res: ServerResponse, name: string): void {
    const body = this.#assets.get(name);
    if (!body) return refuse(res, { status: 404, message: 'no such asset' });
    res.writeHead(200, { 'content-type': ASSETS[name]!, 'content-length': body.length }).end(body);
  }

  async #route(req: IncomingMessage, res: ServerResponse, url: URL, csrf: string): Promise<void> {
    const { platform: p, autoscaler, metrics } = this.d;
    const m = /^\/(?:api\/)?apps\/([^/]+)(\/[a-z]+)?$/.exec(url.pathname);
    const app = m ? p.ctx.store.requireApp(validateAppName(decodeURIComponent(m[1]!))).name : null;
    const key = `${req.method} ${url.pathname.startsWith('/api/') ? 'api' : 'page'}${m?.[2] ?? (app ? '' : url.pathname)}`;
    switch (key) {
      case 'GET page/': return html(res, 200, appsPage(appRows(p), csrf));
      case 'GET page': return html(res, 200, appPage(appState(p, autoscaler, app!, this.d.addons), csrf));
      case 'GET page/events': return openEvents(req, res, p, autoscaler, url.searchParams.get('app'), this.d.addons);
      case 'GET api/metrics': {
        const hours = url.searchParams.get('range') === 'day' ? 24 : 1;
        const to = Date.now();
        const s = metrics.series(app!, to - hours * 3_600_000, to);
        return sendJson(res, 200, { ...s, from: to - hours * 3_600_000, to });
      }
      case 'GET api/config': return sendJson(res, 200, p.ctx.store.getConfig(app!));
    }
    const body = await readJson(req);
    switch (key) {
      case 'POST api/scale': {
        const type = String(body.type);
        return sendJson(res, 200, await autoscaler.scaleManually(app!, { [type]: Number(body.quantity) }));
      }
      case 'POST api/restart': return sendJson(res, 200, { dynos: await p.restart(app!) });
      case 'POST api/maintenance': p.setMaintenance(app!, body.on === true); return sendJson(res, 200, { maintenance: body.on === true });
      case 'POST api/rollback': {
        if (!Number.isInteger(body.version)) throw invalid(`'${String(body.version)}' is not a release version`, 'reload the page and pick a release');
        return sendJson(res, 200, await p.rollback(app!, body.version as number, silent));
      }
      case 'PATCH api/config': return sendJson(res, 200, await p.setConfig(app!, configSet(body.set), configUnset(body.unset), true, silent));
      case 'PUT api/autoscale': return sendJson(res, 200, autoscaler.enable({ app: app!, type: 'web', min: Number(body.min), max: Number(body.max), p95: Number(body.p95 ?? 1000) }));
      case 'DELETE api/autoscale': return sendJson(res, 200, { disabled: autoscaler.disable(app!, 'web') });
    }
    if (key.startsWith('GET ') || key.startsWith('POST ')) throw notFound(`no dashboard route for ${req.method} ${url.pathname}`, 'reload the page');
    throw invalid(`${req.method} is not supported for ${url.pathname}`, 'reload the page');
  }
}

function refuse(res: ServerResponse, r: { status: number; message: string }): void {
  sendJson(res, r.status, { error: { message: r.message } });
}

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
}
