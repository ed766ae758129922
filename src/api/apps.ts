// Why: apps: list, info, deploy (create on first use) and destroy.
import { realpathSync } from 'node:fs';
import { invalid } from '../core/errors.js';
import { validateAppName } from '../core/names.js';
import type { Platform } from '../deploy/platform.js';
import type { DeployOptions } from '../deploy/pipeline.js';
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
    ['POST', path('/apps'), async ({ req, res }) => {
      const body = await readJson(req);
      const app = validateAppName(stringField(body, 'name'));
      const sourceDir = realpathOr(stringField(body, 'sourceDir'));
      await streamed(res, (s) => p.createApp(app, sourceDir, s));
    }],
    ['POST', path('/apps/:app/deploys'), async ({ req, res, params }) => {
      const app = validateAppName(params[0]!);
      const body = await readJson(req);
      const sourceDir = realpathOr(stringField(body, 'sourceDir'));
      const opts = deployOptions(body);
      await streamed(res, (s, signal) => p.deploy(app, sourceDir, s, signal, opts));
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

/** The optional fields a git push adds to a deploy: sourceVersion (full sha), noCache, ref. */
function deployOptions(body: Record<string, unknown>): DeployOptions {
  const { sourceVersion, noCache, ref } = body;
  if (sourceVersion !== undefined && (typeof sourceVersion !== 'string' || !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sourceVersion))) {
    throw invalid(`'sourceVersion' must be a full git commit sha, not ${JSON.stringify(sourceVersion)}`, 'update the minik CLI to match the daemon');
  }
  if (noCache !== undefined && typeof noCache !== 'boolean') throw invalid("'noCache' must be true or false", 'update the minik CLI to match the daemon');
  if (ref !== undefined && (typeof ref !== 'string' || !/^refs\/heads\/[^\s]{1,200}$/.test(ref))) {
    throw invalid(`'ref' must be a branch ref like refs/heads/main, not ${JSON.stringify(ref)}`, 'update the minik CLI to match the daemon');
  }
  return { sourceVersion, noCache, ref } as DeployOptions;
}
