// Why: releases: list, info, rollback.
import { notFound } from '../core/errors.js';
import { parseReleaseVersion } from '../core/limits.js';
import { validateAppName } from '../core/names.js';
import type { Platform } from '../deploy/platform.js';
import { releaseView } from '../deploy/views.js';
import { readJson, sendJson, streamed } from './http.js';
import { path, type Route } from './server.js';

/** Release routes. */
export function releaseRoutes(p: Platform): Route[] {
  const { store } = p.ctx;
  const app = (params: string[]) => store.requireApp(validateAppName(params[0]!));
  return [
    ['GET', path('/apps/:app/releases'), ({ res, params }) => {
      const a = app(params);
      sendJson(res, 200, store.listReleases(a.name).map((r) => releaseView(r, a.currentRelease)));
    }],
    ['GET', path('/apps/:app/releases/:version'), ({ res, params }) => {
      const a = app(params);
      const v = parseReleaseVersion(params[1]!);
      const r = store.getRelease(a.name, v);
      if (!r) throw notFound(`${a.name} has no release v${v}`, "see 'minik releases'");
      sendJson(res, 200, { ...releaseView(r, a.currentRelease), config: r.config, processTypes: r.processTypes });
    }],
    ['POST', path('/apps/:app/rollback'), async ({ req, res, params }) => {
      const a = app(params);
      const body = await readJson(req);
      const v = body.version === undefined ? undefined : parseReleaseVersion(String(body.version));
      await streamed(res, (s) => p.rollback(a.name, v, s));
    }],
  ];
}

