// Why: maintenance mode and extra host names, both of which change routing only.
import { invalid } from '../core/errors.js';
import { validateAppName } from '../core/names.js';
import type { Platform } from '../deploy/platform.js';
import { readJson, sendJson, stringField } from './http.js';
import { path, type Route } from './server.js';

const HOST = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

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
      const host = validHost(stringField(await readJson(req), 'host'));
      if (host === `${name}.localhost` || /^[a-z0-9-]+\.localhost$/.test(host) && store.getApp(host.slice(0, -'.localhost'.length))) {
        throw invalid(`${host} is an app's default host name`, 'add another name, e.g. api.' + name + '.localhost');
      }
      store.addDomain(host, name);
      p.ctx.syncRoutes();
      sendJson(res, 200, { host });
    }],
    ['DELETE', path('/apps/:app/domains/:host'), ({ res, params }) => {
      const name = app(params);
      const host = validHost(params[1]!);
      if (!store.listDomains(name).some((d) => d.host === host)) throw invalid(`${host} is not a domain of ${name}`, `see 'minik domains -a ${name}'`);
      store.removeDomain(host);
      p.ctx.syncRoutes();
      sendJson(res, 200, { ok: true });
    }],
  ];
}

function validHost(raw: string): string {
  const host = raw.toLowerCase().replace(/\.$/, '');
  if (!HOST.test(host)) throw invalid(`'${raw}' is not a valid host name`, 'use letters, digits, - and dots, e.g. api.myapp.localhost');
  return host;
}
