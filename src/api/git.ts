// Why: git: the app's repository (made, or its hook repaired, on demand) for `minik git:remote`.
import { validateAppName } from '../core/names.js';
import type { Platform } from '../deploy/platform.js';
import { sendJson } from './http.js';
import { path, type Route } from './server.js';

/** Git routes. */
export function gitRoutes(p: Platform): Route[] {
  return [
    ['PUT', path('/apps/:app/repo'), async ({ res, params }) => sendJson(res, 200, await p.ensureRepo(validateAppName(params[0]!)))],
  ];
}
