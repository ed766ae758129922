// Why: the control API: a route table of handlers on a Unix socket only its owner can open.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { notFound } from '../core/errors.js';
import type { Platform } from '../deploy/platform.js';
import { appRoutes } from './apps.js';
import type { Capabilities } from './capabilities.js';
import { buildpackRoutes } from './buildpacks.js';
import { configRoutes } from './config.js';
import { daemonRoutes, type DaemonInfo } from './daemon.js';
import { domainRoutes } from './domains.js';
import { exportRoutes } from './export.js';
import { dynoRoutes } from './dynos.js';
import { gitRoutes } from './git.js';
import { sendError } from './http.js';
import { logRoutes } from './logs.js';
import { capabilityRoutes } from './metrics.js';
import { releaseRoutes } from './releases.js';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: string[];
  query: URLSearchParams;
}
export type Handler = (c: RequestContext) => Promise<void> | void;
export type Route = [method: string, pattern: RegExp, handler: Handler];

/** Why: `:app` in a path is a validated-later segment; patterns stay readable in each resource file. */
export function path(template: string): RegExp {
  return new RegExp(`^${template.replace(/:[a-z]+/g, '([^/]+)')}$`);
}

/** The API server; the daemon listens on the socket and handles shutdown; capabilities add routes (add-ons: `extra`). */
export function createApiServer(platform: Platform, daemon: DaemonInfo, caps?: Capabilities, extra: Route[] = []): Server {
  const routes: Route[] = [
    ...daemonRoutes(daemon), ...appRoutes(platform), ...dynoRoutes(platform, caps?.autoscaler), ...configRoutes(platform),
    ...releaseRoutes(platform), ...logRoutes(platform), ...domainRoutes(platform), ...exportRoutes(platform),
    ...gitRoutes(platform), ...buildpackRoutes(platform), ...(caps ? capabilityRoutes(platform, caps) : []), ...extra,
  ];
  return createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://minikd');
      for (const [method, pattern, handler] of routes) {
        const m = method === req.method ? pattern.exec(url.pathname) : null;
        if (!m) continue;
        // An app's commands wait until a restarted daemon has recovered that app (not every app).
        const app = /^\/apps\/([^/]+)/.exec(url.pathname)?.[1];
        if (app) await platform.ready(decodeURIComponent(app));
        return await handler({ req, res, params: m.slice(1).map(decodeURIComponent), query: url.searchParams });
      }
      throw notFound(`no API route for ${req.method} ${url.pathname}`, 'update the minik CLI to match the daemon');
    } catch (err) {
      sendError(res, err);
    }
  });
}
