// Why: `minik metrics`, `labs:*`, `drains:*`, `ps:autoscale:*` and `minik dashboard`: thin handlers over the capabilities.
import { invalid } from '../core/errors.js';
import { LABS_FEATURES, type LabsFeature } from '../core/metrics.js';
import { validateAppName } from '../core/names.js';
import type { Platform } from '../deploy/platform.js';
import { summarize } from '../metrics/index.js';
import type { Capabilities } from './capabilities.js';
import { readJson, sendJson, stringField } from './http.js';
import { path, type Route } from './server.js';

/** Metrics, labs, drains, autoscale and dashboard routes. */
export function capabilityRoutes(p: Platform, c: Capabilities): Route[] {
  const app = (params: string[]) => p.ctx.store.requireApp(validateAppName(params[0]!)).name;
  const since = (q: URLSearchParams) => {
    const ms = Number(q.get('since') ?? 3_600_000);
    if (!Number.isFinite(ms) || ms <= 0 || ms > 7 * 86_400_000) throw invalid(`since=${q.get('since')} is not a number of ms up to 7 days`, 'update the minik CLI to match the daemon');
    return Date.now() - ms;
  };
  const series = (name: string | null, q: URLSearchParams) => {
    const s = c.metrics.series(name, since(q));
    return { ...s, summary: summarize(s.apps) };
  };
  return [
    ['GET', path('/metrics'), ({ res, query }) => sendJson(res, 200, series(null, query))],
    ['GET', path('/apps/:app/metrics'), ({ res, params, query }) => sendJson(res, 200, series(app(params), query))],
    ['GET', path('/apps/:app/labs'), ({ res, params }) => {
      const name = app(params);
      sendJson(res, 200, LABS_FEATURES.map((f) => ({ name: f, enabled: p.ctx.store.features.appsWithLabs(f).includes(name) })));
    }],
    ['POST', path('/apps/:app/labs'), async ({ req, res, params }) => {
      const name = app(params);
      const body = await readJson(req);
      const feature = stringField(body, 'feature');
      if (!(LABS_FEATURES as readonly string[]).includes(feature)) throw invalid(`'${feature}' is not a labs feature`, `minik knows: ${LABS_FEATURES.join(', ')}`);
      p.ctx.store.features.setLabs(name, feature as LabsFeature, body.enabled === true);
      sendJson(res, 200, { name: feature, enabled: body.enabled === true });
    }],
    ['GET', path('/apps/:app/drains'), ({ res, params }) => sendJson(res, 200, c.drains.list(app(params)))],
    ['POST', path('/apps/:app/drains'), async ({ req, res, params }) => {
      const name = app(params);
      sendJson(res, 200, c.drains.add(name, stringField(await readJson(req), 'url')));
    }],
    ['DELETE', path('/apps/:app/drains/:url'), ({ res, params }) => {
      c.drains.remove(app(params), params[1]!);
      sendJson(res, 200, { ok: true });
    }],
    ['GET', path('/apps/:app/autoscale'), ({ res, params }) => sendJson(res, 200, c.autoscaler.settings(app(params)))],
    ['PUT', path('/apps/:app/autoscale/:type'), async ({ req, res, params }) => {
      const name = app(params);
      const body = await readJson(req);
      const num = (k: string, def?: number) => (body[k] === undefined && def !== undefined ? def : Number(body[k]));
      sendJson(res, 200, c.autoscaler.enable({ app: name, type: params[1]!, min: num('min'), max: num('max'), p95: num('p95', 1000) }));
    }],
    ['DELETE', path('/apps/:app/autoscale/:type'), ({ res, params }) => sendJson(res, 200, { disabled: c.autoscaler.disable(app(params), params[1]!) })],
    ['POST', path('/dashboard/login'), ({ res }) => sendJson(res, 200, { url: c.dashboardLogin() })],
  ];
}
