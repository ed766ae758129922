// Why: an app's buildpack list: read it, and edit it the ways Heroku's buildpacks:* commands do.
import { invalid } from '../core/errors.js';
import { validateAppName } from '../core/names.js';
import type { BuildpackEdit } from '../buildpacks/index.js';
import type { Platform } from '../deploy/platform.js';
import { readJson, sendJson } from './http.js';
import { path, type Route } from './server.js';

/** Buildpack routes: GET the list, PATCH it with one edit ({action: set|add|remove|clear, url?, index?}). */
export function buildpackRoutes(p: Platform): Route[] {
  const { store } = p.ctx;
  const view = (urls: string[]) => urls.map((url, i) => ({ index: i + 1, url }));
  return [
    ['GET', path('/apps/:app/buildpacks'), ({ res, params }) => {
      const app = store.requireApp(validateAppName(params[0]!)).name;
      sendJson(res, 200, view(store.getBuildpacks(app)));
    }],
    ['PATCH', path('/apps/:app/buildpacks'), async ({ req, res, params }) => {
      const app = validateAppName(params[0]!);
      sendJson(res, 200, view(p.editBuildpacks(app, readEdit(await readJson(req)))));
    }],
  ];
}

function readEdit(body: Record<string, unknown>): BuildpackEdit {
  const { action, url, index } = body;
  if (url !== undefined && typeof url !== 'string') throw invalid("'url' must be a string", 'update the minik CLI to match the daemon');
  if (index !== undefined && typeof index !== 'number') throw invalid("'index' must be a number", 'update the minik CLI to match the daemon');
  if (action === 'clear') return { action };
  if (action === 'remove') return { action, url, index };
  if ((action === 'set' || action === 'add') && url !== undefined) return { action, url, index };
  throw invalid("'action' must be set, add, remove or clear (set and add need a url)", 'update the minik CLI to match the daemon');
}
