// Why: config vars: read, and set/unset through a new release.
import { dict } from '../core/dict.js';
import { invalid } from '../core/errors.js';
import { validateAppName, validateConfigKey } from '../core/names.js';
import type { ConfigVars } from '../core/types.js';
import type { Platform } from '../deploy/platform.js';
import { readJson, sendJson, streamed } from './http.js';
import { path, type Route } from './server.js';

/** Config var routes. */
export function configRoutes(p: Platform): Route[] {
  const app = (params: string[]) => p.ctx.store.requireApp(validateAppName(params[0]!)).name;
  return [
    ['GET', path('/apps/:app/config'), ({ res, params }) => sendJson(res, 200, p.ctx.store.getConfig(app(params)))],
    ['PATCH', path('/apps/:app/config'), async ({ req, res, params }) => {
      const name = app(params);
      const body = await readJson(req);
      const set = configSet(body.set);
      const unset = configUnset(body.unset);
      await streamed(res, (s) => p.setConfig(name, set, unset, body.restart !== false, s));
    }],
  ];
}

/** Validates a `set` object of config vars (also used by the dashboard). */
export function configSet(raw: unknown): ConfigVars {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null) throw invalid("'set' must be an object of config vars", 'e.g. minik config:set KEY=value');
  const set: ConfigVars = dict();
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v !== 'string') throw invalid(`config var ${k} must have a string value`, 'e.g. minik config:set KEY=value');
    set[validateConfigKey(k)] = v;
  }
  return set;
}

/** Validates an `unset` list of keys (also used by the dashboard). */
export function configUnset(raw: unknown): string[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || raw.some((k) => typeof k !== 'string')) throw invalid("'unset' must be a list of keys", 'e.g. minik config:unset KEY');
  return raw.map((k: string) => validateConfigKey(k));
}
