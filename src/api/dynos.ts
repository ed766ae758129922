// Why: ps, scale, restart, stop and run.
import { invalid } from '../core/errors.js';
import { validateAppName } from '../core/names.js';
import { dict } from '../core/dict.js';
import { checkQuantity } from '../core/limits.js';
import type { Formation } from '../core/types.js';
import type { Autoscaler } from '../autoscale/index.js';
import type { Platform } from '../deploy/platform.js';
import { dynoViews } from '../deploy/views.js';
import { readJson, sendJson, stringField } from './http.js';
import { path, type Route } from './server.js';

/** Dyno and formation routes. */
export function dynoRoutes(p: Platform, autoscaler?: Autoscaler): Route[] {
  const app = (params: string[]) => p.ctx.store.requireApp(validateAppName(params[0]!)).name;
  return [
    ['GET', path('/apps/:app/dynos'), ({ res, params }) => sendJson(res, 200, dynoViews(p.ctx, app(params)))],
    ['GET', path('/apps/:app/formation'), ({ res, params }) => sendJson(res, 200, p.formation(app(params)))],
    ['PATCH', path('/apps/:app/formation'), async ({ req, res, params }) => {
      const name = app(params);
      const changes = formationBody(await readJson(req));
      // A manual scale turns autoscaling off for the types it names; the entries say so.
      const disabled = autoscaler ? (await autoscaler.scaleManually(name, changes)).disabled : (await p.scale(name, changes), []);
      sendJson(res, 200, p.formation(name).map((e) => (disabled.includes(e.type) ? { ...e, autoscaleDisabled: true } : e)));
    }],
    ['POST', path('/apps/:app/restart'), async ({ req, res, params }) => {
      const body = await readJson(req);
      sendJson(res, 200, { dynos: await p.restart(app(params), optionalTarget(body)) });
    }],
    ['POST', path('/apps/:app/stop'), async ({ req, res, params }) => {
      const body = await readJson(req);
      sendJson(res, 200, { dynos: await p.stop(app(params), optionalTarget(body)) });
    }],
    ['POST', path('/apps/:app/run'), async ({ req, res, params }) => {
      const body = await readJson(req);
      // pid: the CLI process that runs an attached one-off; its copy of the slug lives as long as that process.
      const pid = Number.isSafeInteger(body.pid) && (body.pid as number) > 0 ? (body.pid as number) : undefined;
      sendJson(res, 200, await p.run(app(params), stringField(body, 'command'), body.detach === true, pid));
    }],
  ];
}

function formationBody(body: Record<string, unknown>): Formation {
  const f: Formation = dict();
  for (const [type, qty] of Object.entries(body)) f[type] = checkQuantity(`scale ${type}`, qty, `minik scale ${type}=2`);
  if (Object.keys(f).length === 0) throw invalid('nothing to scale', 'e.g. minik scale web=2 worker=1');
  return f;
}

function optionalTarget(body: Record<string, unknown>): string | undefined {
  return typeof body.target === 'string' && body.target !== '' ? body.target : undefined;
}
