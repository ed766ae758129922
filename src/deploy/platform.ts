// Why: the one object the API talks to; it owns the per-app lock, the live-release map and the route sync.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { editBuildpacks, type BuildpackEdit } from '../buildpacks/index.js';
import { conflict, invalid, notFound } from '../core/errors.js';
import { validateAppName } from '../core/names.js';
import type { ConfigVars, Formation, Release } from '../core/types.js';
import type { Router } from '../router/index.js';
import { buildRouteTable, type RouteApp } from '../router/index.js';
import { reapOrphans, type Dyno, type LogHub, type Supervisor } from '../supervisor/index.js';
import type { Store } from '../store/index.js';
import { appUrl, type Context, type Output, type Settings } from './context.js';
import { applyFormation, checkScale, formationDynos, liveRelease, slugGone, startDyno, targetDynos } from './dynos.js';
import { wantedDynos } from './formation.js';
import { KeyedMutex } from './lock.js';
import { runDetached, runSpec } from './oneoff.js';
import { changeConfig, deploy } from './pipeline.js';
import { cutRelease } from './release.js';
import { dynoRecord } from './views.js';

export class Platform {
  readonly ctx: Context;
  private readonly lock = new KeyedMutex();

  constructor(deps: { store: Store; supervisor: Supervisor; logs: LogHub; router: Router; settings: Settings }) {
    this.ctx = {
      store: deps.store, supervisor: deps.supervisor, logs: deps.logs, settings: deps.settings,
      live: new Map(),
      syncRoutes: () => deps.router.setTable(buildRouteTable(this.routeApps())),
    };
    deps.supervisor.on('change', (d: Dyno) => this.persist(d));
  }

  /** Why: a restarted daemon stops what an earlier one left running, then brings every formation back. */
  async restore(): Promise<void> {
    const { store, settings } = this.ctx;
    const left = store.listDynos();
    const reaped = await reapOrphans(left, settings.stopTimeoutMs);
    for (const d of left) store.deleteDyno(d.app, d.name, d.release);
    for (const app of store.listApps()) {
      if (reaped > 0) this.ctx.logs.write(app.name, 'minik', 'api', `Stopped dynos left by an earlier daemon`);
      const rel = app.currentRelease === null ? null : store.getRelease(app.name, app.currentRelease);
      if (!rel) continue;
      this.ctx.live.set(app.name, rel.version);
      const names = wantedDynos(store.getFormation(app.name), rel.processTypes);
      for (const name of names) await startDyno(this.ctx, rel, name).catch((err) => this.ctx.logs.write(app.name, 'minik', name, `Could not start: ${(err as Error).message}`));
    }
    this.ctx.syncRoutes();
  }

  /** `minik up`: creates the app on first use, then builds and releases. */
  deploy(app: string, sourceDir: string, out: Output): Promise<{ release: number; url: string }> {
    validateAppName(app);
    return this.lock.run(app, async () => {
      const existing = this.ctx.store.getApp(app);
      if (!existing) this.ctx.store.createApp(app, sourceDir);
      const rel = await deploy(this.ctx, app, sourceDir, out);
      return { release: rel.version, url: appUrl(this.ctx.settings, app) };
    });
  }

  /** `minik scale web=3`: validated against the live release, returns once new dynos are up. */
  scale(app: string, changes: Formation): Promise<Formation> {
    return this.lock.run(app, async () => {
      const rel = liveRelease(this.ctx, app);
      checkScale(rel, changes);
      const formation = { ...this.ctx.store.getFormation(app), ...changes };
      this.ctx.store.setFormation(app, changes);
      await applyFormation(this.ctx, rel, formation);
      return formation;
    });
  }

  /** `minik restart [TARGET]`: restarts running dynos and starts stopped ones the formation wants. */
  restart(app: string, target?: string): Promise<string[]> {
    return this.lock.run(app, async () => {
      const rel = liveRelease(this.ctx, app);
      const running = formationDynos(this.ctx, app);
      const matching = target ? running.filter((d) => d.spec.name === target || d.spec.type === target) : running;
      const wanted = wantedDynos(this.ctx.store.getFormation(app), rel.processTypes).filter((n) => !target || n === target || n.startsWith(`${target}.`));
      const missing = wanted.filter((n) => !running.some((d) => d.spec.name === n));
      if (matching.length === 0 && missing.length === 0) {
        throw notFound(`no dyno of ${app} matches '${target}'`, `see 'minik ps -a ${app}' for its dynos and process types`);
      }
      await Promise.all(matching.map((d) => this.ctx.supervisor.restart(d)));
      for (const n of missing) await startDyno(this.ctx, rel, n);
      return [...matching.map((d) => d.spec.name), ...missing].sort();
    });
  }

  /** `minik stop [TARGET]`: stops dynos until the next restart, scale or deploy. */
  stop(app: string, target?: string): Promise<string[]> {
    return this.lock.run(app, async () => {
      this.ctx.store.requireApp(app);
      const dynos = targetDynos(this.ctx, app, target);
      await Promise.all(dynos.map((d) => this.ctx.supervisor.stop(d)));
      return dynos.map((d) => d.spec.name);
    });
  }

  /** `minik config:set/unset`. */
  setConfig(app: string, set: ConfigVars, unset: string[], restart: boolean, out: Output): Promise<{ release: number | null; config: ConfigVars }> {
    return this.lock.run(app, () => changeConfig(this.ctx, app, set, unset, restart, out));
  }

  /** `minik rollback [vN]`: a new release with vN's slug and config (default: the one before the live one). */
  rollback(app: string, version: number | undefined, out: Output): Promise<{ release: number; rolledBackTo: number }> {
    return this.lock.run(app, async () => {
      const live = liveRelease(this.ctx, app);
      const target = version === undefined ? this.previousRelease(app, live.version) : this.ctx.store.getRelease(app, version);
      if (!target) throw notFound(`${app} has no release v${version}`, `see 'minik releases'`);
      if (target.status !== 'succeeded') throw invalid(`v${target.version} of ${app} ${target.status === 'failed' ? 'failed' : 'never finished'}, so it cannot be rolled back to`, `see 'minik releases' for releases that succeeded`);
      const slug = target.slug;
      if (!slug) throw slugGone(target);
      this.ctx.store.setConfig(app, target.config, Object.keys(this.ctx.store.getConfig(app)).filter((k) => !(k in target.config)));
      const rel = await cutRelease(this.ctx, app, { ...target, slug, description: `Rollback to v${target.version}` }, out);
      return { release: rel.version, rolledBackTo: target.version };
    });
  }

  private previousRelease(app: string, live: number): Release {
    const prev = this.ctx.store.listReleases(app).find((r) => r.version < live && r.status === 'succeeded' && r.slug);
    if (!prev) throw conflict(`${app} has no earlier release to roll back to`, `see 'minik releases'`);
    return prev;
  }

  /** `minik run`: detached runs start here; attached ones get what the CLI needs to run them itself. */
  run(app: string, command: string, detach: boolean): Promise<object> {
    const rel = liveRelease(this.ctx, app);
    return detach ? runDetached(this.ctx, rel, command) : runSpec(this.ctx, rel, command);
  }

  /** `minik apps:destroy`: stops every dyno, then removes the app's state, slugs, caches and logs. */
  destroy(app: string): Promise<void> {
    return this.lock.run(app, async () => {
      this.ctx.store.requireApp(app);
      await Promise.all(this.ctx.supervisor.list(app).map((d) => this.ctx.supervisor.stop(d)));
      this.ctx.store.deleteApp(app);
      this.ctx.live.delete(app);
      this.ctx.logs.remove(app);
      for (const dir of ['slugs', 'cache', 'builds']) await rm(join(this.ctx.settings.home, dir, app), { recursive: true, force: true });
      this.ctx.syncRoutes();
    });
  }

  /** `minik buildpacks:set/add/remove/clear`: edits the app's list (read by the next deploy); returns it. */
  editBuildpacks(app: string, edit: BuildpackEdit): string[] {
    this.ctx.store.requireApp(app);
    const list = editBuildpacks(this.ctx.store.getBuildpacks(app), edit);
    this.ctx.store.setBuildpacks(app, list); // no await since the read: nothing can edit the list in between
    return list;
  }

  /** Why: maintenance mode and domains change routing only. */
  setMaintenance(app: string, on: boolean): void {
    this.ctx.store.setMaintenance(app, on);
    this.ctx.syncRoutes();
  }

  /** Stops every dyno (daemon shutdown). */
  async shutdown(): Promise<void> {
    await this.ctx.supervisor.stopAll();
  }

  /** The router's view of every app, as data. */
  routeApps(): RouteApp[] {
    const { store, supervisor, live } = this.ctx;
    const domains = store.listDomains();
    return store.listApps().map((a) => ({
      name: a.name,
      hosts: domains.filter((d) => d.app === a.name).map((d) => d.host),
      maintenance: a.maintenance,
      hasRelease: a.currentRelease !== null,
      web: supervisor.list(a.name)
        .filter((d) => d.spec.type === 'web' && d.spec.restart && d.spec.release === live.get(a.name) && d.spec.port !== null)
        .map((d) => ({ dyno: d.spec.name, port: d.spec.port as number, state: d.state })),
    }));
  }

  /** Why: SQLite mirrors running dynos so a daemon restarted after SIGKILL can find and stop them. */
  private persist(d: Dyno): void {
    const { store } = this.ctx;
    if (d.state === 'down') store.deleteDyno(d.spec.app, d.spec.name, d.spec.release);
    else if (d.pid !== null && store.getApp(d.spec.app)) store.upsertDyno(dynoRecord(d));
    if (d.spec.type === 'web') this.ctx.syncRoutes();
  }
}
