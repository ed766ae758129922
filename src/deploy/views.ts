// Why: what the API returns for apps, dynos and releases, derived in one place from the live state.
import type { AppInfo, AppView, DynoView, ReleaseView } from '../core/api.js';
import type { App, DynoRecord, Release } from '../core/types.js';
import { describeRuntime } from '../buildpacks/index.js';
import { parseMarker } from '../supervisor/index.js';
import { appHttpsUrl, appUrl, type Context, type DynoHandle } from './context.js';

/** The persisted form of a running dyno. */
export function dynoRecord(d: DynoHandle): DynoRecord {
  return {
    app: d.spec.app, name: d.spec.name, type: d.spec.type, release: d.spec.release,
    pid: d.pid ?? 0, pgid: d.pid ?? 0, startTime: d.startTime ?? 0, port: d.spec.port,
    state: d.state, command: d.spec.command, since: d.since.toISOString(), restarts: d.restarts,
    bootId: d.marker ? parseMarker(d.marker)?.boot ?? '' : '', marker: d.marker ?? '',
  };
}

/** `minik ps` rows: live state from the supervisor, resources summed over each dyno's process group. */
export function dynoViews(ctx: Context, app: string): DynoView[] {
  const usage = ctx.supervisor.usage();
  // One row per dyno name: while a preboot replaces web.1, the new web.1 stands for it (as on Heroku).
  const latest = new Map(ctx.supervisor.list(app).map((d) => [d.spec.name, d] as const));
  return [...latest.values()]
    .map((d) => {
      const u = usage.get(`${app}/${d.spec.name}`);
      return {
        name: d.spec.name, type: d.spec.type, state: d.state, pid: d.pid, port: d.spec.port ?? portOf(d),
        command: d.spec.command, since: d.since.toISOString(), restarts: d.restarts, release: d.spec.release,
        rss: d.pid === null ? null : u?.rss ?? null, cpu: d.pid === null ? null : u?.cpu ?? null, nextRestartAt: d.nextRestartAt?.toISOString() ?? null,
      };
    })
    .sort((a, b) => a.type.localeCompare(b.type) || Number(a.name.split('.')[1]) - Number(b.name.split('.')[1]) || a.release - b.release);
}

function portOf(d: DynoHandle): number | null {
  return d.spec.env.PORT ? Number(d.spec.env.PORT) : null;
}

/** `minik apps` rows. */
export function appView(ctx: Context, a: App): AppView {
  const dynos = [...new Map(ctx.supervisor.list(a.name).filter((d) => d.spec.restart).map((d) => [d.spec.name, d] as const)).values()];
  return {
    name: a.name, sourceDir: a.sourceDir, url: appUrl(ctx.settings, a.name), httpsUrl: appHttpsUrl(ctx.settings, a.name), currentRelease: a.currentRelease,
    maintenance: a.maintenance, createdAt: a.createdAt,
    dynos: { up: dynos.filter((d) => d.state === 'up').length, total: dynos.length },
  };
}

/** `minik info`. */
export function appInfo(ctx: Context, a: App): AppInfo {
  const rel = a.currentRelease === null ? null : ctx.store.getRelease(a.name, a.currentRelease);
  return {
    ...appView(ctx, a),
    buildpack: rel?.buildpack ?? null,
    runtime: rel?.runtime ? describeRuntime(rel.runtime) : null,
    processTypes: rel?.processTypes ?? {},
    formation: ctx.store.getFormation(a.name),
    domains: ctx.store.listDomains(a.name).map((d) => d.host),
    stack: 'minik-local',
    autoscale: ctx.store.features.listAutoscale(a.name).map(({ type, min, max, p95 }) => ({ type, min, max, p95 })),
  };
}

/** `minik releases` rows (config values are left out of listings). */
export function releaseView(r: Release, current: number | null): ReleaseView {
  return {
    version: r.version, description: r.description, status: r.status, createdAt: r.createdAt,
    buildpack: r.buildpack, current: r.version === current, slugAvailable: r.slug !== null,
    commit: r.sourceVersion ?? null,
  };
}
