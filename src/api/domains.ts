// Why: maintenance mode and extra host names, both of which change routing only.
import { validateAppName } from '../core/names.js';
import type { Platform } from '../deploy/platform.js';
import { readJson, sendJson, stringField } from './http.js';
import { path, type Route } from './server.js';

/** Domain and maintenance routes. */
export function domainRoutes(p: Platform): Route[] {
  const { store } = p.ctx;
  const app = (params: string[]) => store.requireApp(validateAppName(params[0]!)).name;
  return [
    ['POST', path('/apps/:app/maintenance'), async ({ req, res, params }) => {
      const name = app(params);
      const on = (await readJson(req)).on === true;
      p.setMaintenance(name, on);
      sendJson(res, 200, { maintenance: on });
    }],
    ['GET', path('/apps/:app/domains'), ({ res, params }) => sendJson(res, 200, store.listDomains(app(params)).map((d) => ({ host: d.host })))],
    ['POST', path('/apps/:app/domains'), async ({ req, res, params }) => {
      const name = app(params);
      sendJson(res, 200, { host: p.addDomain(name, stringField(await readJson(req), 'host')) });
    }],
    ['DELETE', path('/apps/:app/domains/:host'), ({ res, params }) => {
      p.removeDomain(app(params), params[1]!);
      sendJson(res, 200, { ok: true });
    }],
  ];
}
