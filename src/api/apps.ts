// Why: apps: list, info, deploy (create on first use) and destroy.
import { realpathSync } from 'node:fs';
import { validateAppName } from '../core/names.js';
import type { Platform } from '../deploy/platform.js';
import { appInfo, appView } from '../deploy/views.js';
import { readJson, sendJson, streamed, stringField } from './http.js';
import { path, type Route } from './server.js';

/** App routes. */
export function appRoutes(p: Platform): Route[] {
  const { store } = p.ctx;
  return [
    ['GET', path('/apps'), ({ res, query }) => {
      const apps = p.listApps({ sourceDir: query.get('sourceDir') ?? undefined, under: query.get('under') ?? undefined });
      sendJson(res, 200, apps.map((a) => appView(p.ctx, a)));
    }],
    ['GET', path('/apps/:app'), ({ res, params }) => sendJson(res, 200, appInfo(p.ctx, store.requireApp(validateAppName(params[0]!))))],
    ['DELETE', path('/apps/:app'), async ({ res, params }) => {
      await p.destroy(validateAppName(params[0]!));
      sendJson(res, 200, { ok: true });
    }],
    ['POST', path('/apps/:app/deploys'), async ({ req, res, params }) => {
      const app = validateAppName(params[0]!);
      const sourceDir = realpathOr(stringField(await readJson(req), 'sourceDir'));
      await streamed(res, (s, signal) => p.deploy(app, sourceDir, s, signal));
    }],
  ];
}

function realpathOr(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}
