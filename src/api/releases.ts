// Why: releases: list, info, rollback.
import { invalid, notFound } from '../core/errors.js';
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
      const v = version(params[1]!);
      const r = store.getRelease(a.name, v);
      if (!r) throw notFound(`${a.name} has no release v${v}`, "see 'minik releases'");
      sendJson(res, 200, { ...releaseView(r, a.currentRelease), config: r.config, processTypes: r.processTypes });
    }],
    ['POST', path('/apps/:app/rollback'), async ({ req, res, params }) => {
      const a = app(params);
      const body = await readJson(req);
      const v = body.version === undefined ? undefined : version(String(body.version));
      await streamed(res, (s) => p.rollback(a.name, v, s));
    }],
  ];
}

/** A release version from a path or body (`v3` or `3`); a MinikError otherwise. */
export function version(raw: string): number {
  const m = /^v?([1-9][0-9]*)$/.exec(raw);
  if (!m) throw invalid(`'${raw}' is not a release version`, 'use v3 or 3; see minik releases');
  return Number(m[1]);
}
