// Why: the one object the API talks to. It owns the per-app locks and every rule about what a command may
// do; what runs is always derived from the store (current release + formation), never kept beside it.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { editBuildpacks, makeSpares, type BuildpackEdit } from '../buildpacks/index.js';
import { conflict, invalid, notFound, type MinikError } from '../core/errors.js';
import type { FormationEntry } from '../core/api.js';
import { has } from '../core/dict.js';
import { validateAppName, validateDomain } from '../core/names.js';
import type { App, ConfigVars, Formation, Release } from '../core/types.js';
import type { Router } from '../router/index.js';
import { buildRouteTable, type RouteApp } from '../router/index.js';
import { reapOwned, type LogHub } from '../supervisor/index.js';
import type { Store } from '../store/index.js';
import { appHttpsUrl, appUrl, teeOutput, type Context, type DynoHandle, type Output, type Settings, type SupervisorPort } from './context.js';
import { checkScale, formationDynos, liveRelease, matchesTarget, servingDynos, slugGone, targetDynos } from './dynos.js';
import { wantedDynos } from './formation.js';
import { KeyedMutex } from './lock.js';
import { runDetached, runSpec } from './oneoff.js';
import { buildSlug, canceledError, changeConfig, releaseBuild, type DeployOptions } from './pipeline.js';
import { recoverApp, removeStrayApps } from './recovery.js';
import type { GitRepos, RepoState } from '../git/repos.js';
import { RefTurns } from '../git/turns.js';
import { cutRelease } from './release.js';
import { lateFailure, rollout } from './rollout.js';
import { dynoRecord } from './views.js';

const ONE_OFF_TYPES = new Set(['run', 'release']);

export class Platform {
  readonly ctx: Context;
  /** Release, rollout, scale, restart, config, destroy: one at a time per app. */
  private readonly lock = new KeyedMutex();
  /** Builds: one at a time per app (they share its cache), outside `lock` so the app stays responsive. */
  private readonly buildLock = new KeyedMutex();
  private readonly builds = new Map<string, Set<AbortController>>();
  private readonly recovered = new Map<string, Promise<void>>();
  private readonly turns = new RefTurns();
  private readonly repos: GitRepos | undefined;
  /** Checks before config:set/unset; a capability refuses keys it owns (add-ons: their *_URL vars). */
  readonly configGuards: Array<(app: string, keys: string[]) => void> = [];
  /** Run by apps:destroy once the app's dynos are stopped (add-ons destroy the app's own). */
  readonly destroyHooks: Array<(app: string) => Promise<void>> = [];
  /** Awaited at daemon start before an app's dynos are restored (add-ons: until the servers it uses accept queries). */
  readonly restoreGates: Array<(app: string) => Promise<void>> = [];

  constructor(deps: { store: Store; supervisor: SupervisorPort; logs: LogHub; router: Router; settings: Settings; repos?: GitRepos }) {
    this.repos = deps.repos;
    this.ctx = {
      store: deps.store, supervisor: deps.supervisor, logs: deps.logs, settings: deps.settings,
      syncRoutes: () => deps.router.setTable(buildRouteTable(this.routeApps())),
      closed: false,
    };
    deps.supervisor.on('change', (d) => {
      // A store error (SQLITE_BUSY, disk full) must not escape into the supervisor's event and cut its restart logic short.
      try {
        this.persist(d);
      } catch (err) {
        console.error(`${new Date().toISOString()} could not record dyno ${d.spec.app}/${d.spec.name}: ${(err as Error).message}`);
      }
    });
  }

  /**
   * Why: a restarted daemon recovers every app in parallel, each under its own lock, so one app's stubborn
   * leftover does not delay the others, and commands for an app wait until that app is recovered.
   */
  async restore(): Promise<void> {
    const strays = removeStrayApps(this.ctx);
    // Each app's recovery is registered before the first await, so no command for it can slip in first.
    const all = this.ctx.store.listApps().map((app) => {
      const done = this.lock.run(app.name, async () => {
        await strays;
        await recoverApp(this.ctx, app, () => Promise.all(this.restoreGates.map((gate) => gate(app.name))));
        this.ctx.syncRoutes();
      }).catch((err: Error) => this.ctx.logs.write(app.name, 'minik', 'api', `Recovery failed: ${err.message}`));
      this.recovered.set(app.name, done);
      return done;
    });
    this.ctx.syncRoutes();
    await Promise.all(all);
  }

  /** Resolves once the app is recovered after a daemon start (at once for apps made since). */
  ready(app: string): Promise<void> {
    return this.recovered.get(app) ?? Promise.resolve();
  }

  /**
   * `minik up` and git pushes: creates the app on first use (never from a push), builds outside the app's
   * lock (cancelled by `signal`), then releases under it. Returns whether it created the app, and its repository.
   */
  async deploy(app: string, sourceDir: string, out: Output, signal: AbortSignal = new AbortController().signal, opts: DeployOptions = {}): Promise<{ release: number; url: string; httpsUrl: string | null; created: boolean; repo: string | null }> {
    validateAppName(app);
    const tee = teeOutput(this.ctx, app, out);
    if (this.buildLock.busy(app) || this.lock.busy(app)) tee.log(`-----> Waiting for the deploy in progress on ${app} to finish`);
    const checkTurn = this.turns.arrive(app, opts.ref);
    const created = await this.lock.run(app, async () => {
      if (this.ctx.store.getApp(app)) return false;
      // A push reaches a repository whose app is gone only through a leftover folder: never recreate the app from it.
      if (opts.ref) throw notFound(`app '${app}' does not exist`, `create it with 'minik apps:create ${app}', then push again`);
      this.ctx.store.createApp(app, sourceDir);
      this.ctx.syncRoutes(); // the router answers H81 (no release yet) from now on, not 404
      return true;
    });
    const repo = created ? await this.repoOrWarning(app, tee) : null;
    const before = this.ctx.store.requireApp(app).sourceDir;
    if (before !== sourceDir && !opts.ref) {
      this.ctx.store.setSourceDir(app, sourceDir);
      tee.log(`-----> ${app} was deployed from ${before}; it now deploys from ${sourceDir}`);
    }
    const cancel = new AbortController();
    const onAbort = () => cancel.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    this.trackBuild(app, cancel, true);
    try {
      checkTurn();
      const build = await this.buildLock.run(app, () => { checkTurn(); return buildSlug(this.ctx, app, sourceDir, tee, cancel.signal, opts); }, cancel.signal, () => canceledError(this.ctx, app));
      this.trackBuild(app, cancel, false);
      tee.built?.();
      const rel = await this.lock.run(app, async () => {
        try {
          checkTurn();
        } catch (err) {
          await rm(build.slug, { recursive: true, force: true });
          throw err;
        }
        const r = await releaseBuild(this.ctx, app, build, tee);
        this.turns.done(app, opts.ref);
        return r;
      });
      return { release: rel.version, url: appUrl(this.ctx.settings, app), httpsUrl: appHttpsUrl(this.ctx.settings, app), created, repo: repo?.path ?? null };
    } catch (err) {
      if ((err as { code?: string }).code === 'canceled') this.ctx.logs.write(app, 'minik', 'build', 'Build canceled: the client disconnected');
      throw err;
    } finally {
      this.trackBuild(app, cancel, false);
      signal.removeEventListener('abort', onAbort);
      void makeSpares(); // the next build's dependency trees, linked now that nothing waits (buildpacks/cache.ts)
    }
  }

  /** `minik apps:create`: a new app without a release, or on an existing app a repaired git hook. */
  createApp(app: string, sourceDir: string, out: Output): Promise<{ created: boolean; repo: RepoState | null }> {
    validateAppName(app);
    return this.lock.run(app, async () => {
      const created = !this.ctx.store.getApp(app);
      if (created) {
        this.ctx.store.createApp(app, sourceDir);
        this.ctx.syncRoutes();
      }
      return { created, repo: await this.repoOrWarning(app, out) };
    });
  }

  /** `minik git:remote`: the app's repository, made (or its hook repaired) if needed. */
  ensureRepo(app: string): Promise<RepoState> {
    return this.lock.run(app, async () => {
      this.ctx.store.requireApp(app);
      if (!this.repos) throw conflict('this minik daemon was started without git support', "restart it with 'minik daemon stop'");
      return this.repos.ensure(app);
    });
  }

  /** Why: an app works without git (minik up); a missing or old git only turns off git push deploys. */
  private async repoOrWarning(app: string, out: Output): Promise<RepoState | null> {
    try {
      return this.repos ? await this.repos.ensure(app) : null;
    } catch (err) {
      const e = err as MinikError;
      out.log(`-----> git push deploys are off for ${app}: ${e.message}${e.hint ? ` (${e.hint})` : ''}`);
      return null;
    }
  }

  /** `minik scale web=3`: validated against the live release; rolls every dyno onto it; returns once new dynos are up. */
  scale(app: string, changes: Formation): Promise<FormationEntry[]> {
    return this.lock.run(app, async () => {
      const rel = liveRelease(this.ctx, app);
      checkScale(rel, changes);
      const formation = { ...this.ctx.store.getFormation(app), ...changes };
      const errors = await rollout(this.ctx, rel, formation, { atomic: false, commit: () => this.ctx.store.setFormation(app, changes) });
      const late = lateFailure(errors, '');
      if (late) throw late;
      return this.formation(app);
    });
  }

  /** True while a deploy, rollback, scale or other change holds or waits for the app's lock (autoscaling skips it). */
  isBusy(app: string): boolean {
    return this.lock.busy(app);
  }

  /** `minik restart [TARGET]`: replaces the targeted dynos with ones of the current release (web with preboot), starting stopped ones. */
  restart(app: string, target?: string): Promise<string[]> {
    return this.lock.run(app, async () => {
      const rel = liveRelease(this.ctx, app);
      const scope = (name: string) => !target || matchesTarget(name, target);
      const formation = this.ctx.store.getFormation(app);
      const names = new Set([...formationDynos(this.ctx, app).map((d) => d.spec.name), ...wantedDynos(formation, rel.processTypes)].filter(scope));
      if (names.size === 0) throw notFound(`no dyno of ${app} matches '${target}'`, `see 'minik ps -a ${app}' for its dynos and process types`);
      const late = lateFailure(await rollout(this.ctx, rel, formation, { atomic: false, replace: true, scope, commit: () => {} }), '');
      if (late) throw late;
      return [...names].sort();
    });
  }

  /**
   * `minik stop [TARGET]`: stops dynos until the next restart, scale or deploy. One-off dynos (`release`,
   * `run.3`) are stopped at once, without waiting for the app's lock: a hung release phase holds it.
   */
  async stop(app: string, target?: string): Promise<string[]> {
    this.ctx.store.requireApp(app);
    const type = target?.replace(/\.\d+$/, '');
    if (type && ONE_OFF_TYPES.has(type)) {
      const dynos = this.ctx.supervisor.list(app).filter((d) => !d.spec.restart && matchesTarget(d.spec.name, target!));
      if (dynos.length === 0) throw notFound(`no ${target} dyno of ${app} is running`, `see 'minik ps -a ${app}'`);
      await Promise.all(dynos.map((d) => this.ctx.supervisor.stop(d)));
      return dynos.map((d) => d.spec.name);
    }
    return this.lock.run(app, async () => {
      const dynos = targetDynos(this.ctx, app, target);
      await Promise.all(dynos.map((d) => this.ctx.supervisor.stop(d)));
      return [...new Set(dynos.map((d) => d.spec.name))];
    });
  }

  /** `minik config:set/unset`: the new config commits only with the release that uses it; `by` is a capability changing the vars it owns (no guards, its own description). */
  setConfig(app: string, set: ConfigVars, unset: string[], restart: boolean, out: Output, by?: { description: string }): Promise<{ release: number | null; config: ConfigVars }> {
    if (!by) for (const guard of this.configGuards) guard(app, [...Object.keys(set), ...unset]);
    return this.lock.run(app, () => changeConfig(this.ctx, app, set, unset, restart, teeOutput(this.ctx, app, out), by?.description));
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
      const rel = await cutRelease(this.ctx, app, { ...target, slug, description: `Rollback to v${target.version}`, progress: false }, teeOutput(this.ctx, app, out));
      return { release: rel.version, rolledBackTo: target.version };
    });
  }

  private previousRelease(app: string, live: number): Release {
    const prev = this.ctx.store.listReleases(app).find((r) => r.version < live && r.status === 'succeeded' && r.slug);
    if (!prev) throw conflict(`${app} has no earlier release to roll back to`, `see 'minik releases'`);
    return prev;
  }

  /** `minik run`: detached runs start here; attached ones get what the CLI needs to run them itself. */
  run(app: string, command: string, detach: boolean, cliPid?: number): Promise<object> {
    const rel = liveRelease(this.ctx, app);
    return detach ? runDetached(this.ctx, rel, command) : runSpec(this.ctx, rel, command, cliPid);
  }

  /** `minik apps:destroy`: cancels its build, stops every dyno, then removes the app's state, slugs, caches and logs. */
  destroy(app: string): Promise<void> {
    for (const c of this.builds.get(app) ?? []) c.abort();
    return this.lock.run(app, async () => {
      this.ctx.store.requireApp(app);
      await Promise.all(this.ctx.supervisor.list(app).map((d) => this.ctx.supervisor.stop(d)));
      for (const hook of this.destroyHooks) await hook(app);
      this.ctx.store.deleteApp(app);
      this.ctx.logs.remove(app);
      for (const dir of ['slugs', 'cache', 'builds', 'runs']) await rm(join(this.ctx.settings.home, dir, app), { recursive: true, force: true });
      await this.repos?.remove(app);
      this.ctx.syncRoutes();
    });
  }

  /**
   * Apps by name; or those deployed from exactly `sourceDir`; or those deployed from `under` or a folder below
   * it, the most recently released first (so `minik ps` in a repo root finds the app `up` just deployed).
   */
  listApps(filter: { sourceDir?: string; under?: string } = {}): App[] {
    const apps = this.ctx.store.listApps();
    if (filter.sourceDir) return apps.filter((a) => a.sourceDir === filter.sourceDir);
    if (!filter.under) return apps;
    const root = filter.under.endsWith('/') ? filter.under : `${filter.under}/`;
    const lastRelease = (a: App) => this.ctx.store.listReleases(a.name)[0]?.createdAt ?? a.createdAt;
    return apps.filter((a) => a.sourceDir === filter.under || a.sourceDir.startsWith(root)).sort((x, y) => lastRelease(y).localeCompare(lastRelease(x)));
  }

  /** The formation of the live release's process types, as `minik scale` prints it. */
  formation(app: string): FormationEntry[] {
    const rel = liveRelease(this.ctx, app);
    return Object.entries(this.ctx.store.getFormation(app))
      .filter(([type]) => has(rel.processTypes, type))
      .map(([type, quantity]) => ({ type, quantity, command: rel.processTypes[type]! }));
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

  /** `minik domains:add`: a valid host that is no app's default name and no other app's domain. */
  addDomain(app: string, raw: string): string {
    const host = validateDomain(raw);
    const owner = host.endsWith('.localhost') && !host.slice(0, -'.localhost'.length).includes('.') ? this.ctx.store.getApp(host.slice(0, -'.localhost'.length)) : null;
    if (owner) throw invalid(`${host} is the default host name of app ${owner.name}`, `add another name, e.g. api.${app}.localhost`);
    this.ctx.store.addDomain(host, app);
    this.ctx.syncRoutes();
    return host;
  }

  /** `minik domains:remove`: only a domain of this app. */
  removeDomain(app: string, raw: string): void {
    const host = validateDomain(raw);
    if (!this.ctx.store.listDomains(app).some((d) => d.host === host)) throw invalid(`${host} is not a domain of ${app}`, `see 'minik domains -a ${app}'`);
    this.ctx.store.removeDomain(host);
    this.ctx.syncRoutes();
  }

  /** Stops every dyno (daemon shutdown). */
  async shutdown(): Promise<void> {
    this.ctx.closed = true;
    for (const set of this.builds.values()) for (const c of set) c.abort();
    await Promise.all(this.ctx.supervisor.list().map((d) => this.ctx.supervisor.stop(d)));
    // A recovery or rollout that was waiting for a port may have started one more dyno meanwhile.
    await Promise.all(this.ctx.supervisor.list().map((d) => this.ctx.supervisor.stop(d)));
    // Canceled build steps got SIGTERM; one that ignores it must not outlive the daemon.
    await reapOwned({ home: this.ctx.settings.home, kinds: ['build'], graceMs: this.ctx.settings.stopTimeoutMs });
  }

  /** The router's view of every app, as data: the web dynos `servingDynos` picks from the store's current release. */
  routeApps(): RouteApp[] {
    const { store, supervisor } = this.ctx;
    const domains = store.listDomains();
    return store.listApps().map((a) => ({
      name: a.name,
      hosts: domains.filter((d) => d.app === a.name).map((d) => d.host),
      maintenance: a.maintenance,
      hasRelease: a.currentRelease !== null,
      web: servingDynos(a.currentRelease, supervisor.list(a.name).filter((d) => d.spec.type === 'web' && d.spec.restart && d.spec.port !== null))
        .map((d) => ({ dyno: d.spec.name, port: d.spec.port as number, state: d.state })),
    }));
  }

  private trackBuild(app: string, c: AbortController, on: boolean): void {
    const set = this.builds.get(app) ?? new Set();
    if (on) set.add(c); else set.delete(c);
    if (set.size > 0) this.builds.set(app, set); else this.builds.delete(app);
  }

  /** Why: SQLite mirrors running dynos so a daemon restarted after SIGKILL can find and stop them. */
  private persist(d: DynoHandle): void {
    const { store, supervisor } = this.ctx;
    const list = supervisor.list(d.spec.app);
    // A dyno being replaced by a newer one of the same name and release leaves the record to its successor.
    const superseded = list.some((o, i) => i > list.indexOf(d) && o.spec.name === d.spec.name && o.spec.release === d.spec.release);
    if (superseded) { /* its successor owns the record */ }
    else if (d.state === 'down') store.deleteDyno(d.spec.app, d.spec.name, d.spec.release);
    else if (d.pid !== null && store.getApp(d.spec.app)) store.upsertDyno(dynoRecord(d));
    if (d.spec.type === 'web') this.ctx.syncRoutes();
  }
}
