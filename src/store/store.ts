// Why: minik's durable state (apps, releases, config vars, formation, running dynos, domains) lives in one
// SQLite file, so a restarted daemon finds every app and every process an earlier daemon left running.
import type Database from 'better-sqlite3';
import { conflict, invalid, notFound } from '../core/errors.js';
import { isProcessType, validateAppName, validateConfigKey, validateDomain } from '../core/names.js';
import type { App, ConfigVars, Domain, DynoRecord, Formation, Release, ReleaseStatus } from '../core/types.js';
import { dict } from '../core/dict.js';
import { checkQuantity } from '../core/limits.js';
import { FeatureStore } from './features.js';
import { MetricsStore } from './metrics.js';
import { openDatabase } from './open.js';
import { appFromRow, dynoFromRow, dynoToRow, releaseFromRow, releaseToRow } from './rows.js';
import { prepareStatements, type Statements } from './statements.js';
import { AddonStore } from './addons.js';


/** Synchronous access to minik's SQLite database; every method is a short transaction or a single statement. */
export class Store {
  private readonly db: Database.Database;
  private readonly q: Statements;
  /** Metrics rows (batched writes, pruning). */
  readonly metrics: MetricsStore;
  /** Drains, autoscaling settings and labs features. */
  readonly features: FeatureStore;
  /** Add-ons and their attachments (issue 11). */
  readonly addons: AddonStore;

  /** Opens (or creates, mode 0600) the database file, switches it to WAL and runs pending migrations. */
  constructor(file: string) {
    this.db = openDatabase(file);
    try {
      this.q = prepareStatements(this.db);
      this.metrics = new MetricsStore(this.db);
      this.features = new FeatureStore(this.db);
      this.addons = new AddonStore(this.db);
    } catch (err) {
      this.db.close();
      throw err;
    }
  }

  /** Closes the connection (checkpointing the WAL); the Store is unusable afterwards. */
  close(): void {
    this.db.close();
  }

  /** Runs fn atomically; nested calls become savepoints. fn must be synchronous. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  // ---- apps ----

  /** Creates an app with no release yet; conflict if the name is taken. */
  createApp(name: string, sourceDir: string): App {
    validateAppName(name);
    return this.transaction(() => {
      if (this.getApp(name)) {
        throw conflict(`app '${name}' already exists`, 'choose another name with --name');
      }
      const app: App = { name, sourceDir, createdAt: now(), maintenance: false, currentRelease: null };
      this.q.insertApp.run({ name, source_dir: sourceDir, created_at: app.createdAt, maintenance: 0, current_release: null });
      return app;
    });
  }

  /** The app, or null when there is none by that name. */
  getApp(name: string): App | null {
    const row = this.q.getApp.get(name);
    return row ? appFromRow(row) : null;
  }

  /** The app; throws notFound (HTTP 404, exit 1) when there is none by that name. */
  requireApp(name: string): App {
    const app = this.getApp(name);
    if (!app) throw notFound(`app '${name}' not found`, "run 'minik apps' to list apps, or 'minik up' to create one");
    return app;
  }

  /** All apps, by name. */
  listApps(): App[] {
    return this.q.listApps.all().map(appFromRow);
  }

  /** The app deployed from this absolute folder (the oldest, if several were), or null. */
  findAppBySourceDir(dir: string): App | null {
    const row = this.q.findAppBySourceDir.get(dir);
    return row ? appFromRow(row) : null;
  }

  /** Deletes the app and, by cascade, its releases, config vars, formation, dyno records and domains. */
  deleteApp(name: string): void {
    if (this.q.deleteApp.run(name).changes === 0) this.requireApp(name);
  }

  /** Records the folder the app is now deployed from (`minik up DIR --name APP` from another folder). */
  setSourceDir(name: string, dir: string): void {
    if (this.q.setSourceDir.run({ name, dir }).changes === 0) this.requireApp(name);
  }

  /** Turns maintenance mode on or off. */
  setMaintenance(name: string, on: boolean): void {
    if (this.q.setMaintenance.run({ name, on: on ? 1 : 0 }).changes === 0) this.requireApp(name);
  }

  /** Points the app at an existing release (after a deploy or a rollback). */
  setCurrentRelease(name: string, version: number): void {
    this.transaction(() => {
      this.requireApp(name);
      this.requireRelease(name, version);
      this.q.setCurrentRelease.run({ name, version });
    });
  }

  // ---- releases ----

  /** Records a release as the app's next version (v1 first), stamped now. */
  createRelease(r: Omit<Release, 'version' | 'createdAt'>): Release {
    return this.transaction(() => {
      this.requireApp(r.app);
      const { next } = this.q.nextReleaseVersion.get({ app: r.app })!;
      const release: Release = { ...r, version: next, createdAt: now() };
      this.q.insertRelease.run(releaseToRow(release));
      return release;
    });
  }

  /** The release, or null. */
  getRelease(app: string, version: number): Release | null {
    const row = this.q.getRelease.get({ app, version });
    return row ? releaseFromRow(row) : null;
  }

  /** The app's releases, newest first. */
  listReleases(app: string): Release[] {
    return this.q.listReleases.all({ app }).map(releaseFromRow);
  }

  /** Marks a release pending, succeeded or failed. */
  setReleaseStatus(app: string, version: number, status: ReleaseStatus): void {
    if (this.q.setReleaseStatus.run({ app, version, status }).changes === 0) this.requireRelease(app, version);
  }

  /** Marks the app's pending releases failed (their deploy was interrupted); returns their versions. */
  failPendingReleases(app: string): number[] {
    return this.transaction(() => {
      const pending = this.listReleases(app).filter((r) => r.status === 'pending').map((r) => r.version);
      for (const v of pending) this.setReleaseStatus(app, v, 'failed');
      return pending;
    });
  }

  /** Sets the release's slug folder, or null once the slug is pruned. */
  setReleaseSlug(app: string, version: number, slug: string | null): void {
    if (this.q.setReleaseSlug.run({ app, version, slug }).changes === 0) this.requireRelease(app, version);
  }

  // ---- config vars ----

  /** The app's current config vars (empty for an unknown app). */
  getConfig(app: string): ConfigVars {
    return dict(this.q.getConfig.all({ app }).map((r) => [r.key, r.value] as const));
  }

  /** Sets and unsets config vars in one transaction; returns the full new config. Values are kept verbatim. */
  setConfig(app: string, set: ConfigVars, unset: string[]): ConfigVars {
    for (const [key, value] of Object.entries(set)) {
      validateConfigKey(key);
      if (typeof value !== 'string') throw invalid(`config var '${key}' must be a string, not ${typeof value}`);
    }
    const both = unset.find((key) => Object.hasOwn(set, key));
    if (both !== undefined) throw invalid(`config var '${both}' is both set and unset`, 'pass it to one of the two');
    return this.transaction(() => {
      this.requireApp(app);
      for (const key of unset) this.q.deleteConfigVar.run({ app, key });
      for (const [key, value] of Object.entries(set)) this.q.upsertConfigVar.run({ app, key, value });
      return this.getConfig(app);
    });
  }

  /** Makes the app's config exactly `config` (a release's snapshot, committed with the release that uses it). */
  replaceConfig(app: string, config: ConfigVars): void {
    const current = this.getConfig(app);
    this.setConfig(app, config, Object.keys(current).filter((k) => !Object.hasOwn(config, k)));
  }

  // ---- formation ----

  /** Process type → dyno count, including types scaled to 0. */
  getFormation(app: string): Formation {
    return dict(this.q.getFormation.all({ app }).map((r) => [r.type, r.quantity] as const));
  }

  /** Upserts the given types' quantities; types not mentioned are left as they are. */
  setFormation(app: string, f: Formation): void {
    for (const [type, quantity] of Object.entries(f)) checkScale(type, quantity);
    this.transaction(() => {
      this.requireApp(app);
      for (const [type, quantity] of Object.entries(f)) this.q.upsertFormation.run({ app, type, quantity });
    });
  }

  // ---- dynos ----

  /** Records a dyno's current process and state (insert or replace by app + name). */
  upsertDyno(d: DynoRecord): void {
    this.transaction(() => {
      this.requireApp(d.app);
      this.q.upsertDyno.run(dynoToRow(d));
    });
  }

  /**
   * Forgets a dyno; a no-op when there is no such record. With `release`, only a record of that release is
   * removed, so an old web.1 going down does not erase the record of the new web.1 that replaced it.
   */
  deleteDyno(app: string, name: string, release?: number): void {
    if (release === undefined) this.q.deleteDyno.run({ app, name });
    else this.q.deleteDynoOfRelease.run({ app, name, release });
  }

  /** Dyno records of one app, or of all apps, by app, type and index (web.2 before web.10). */
  listDynos(app?: string): DynoRecord[] {
    const rows = app === undefined ? this.q.listDynos.all() : this.q.listAppDynos.all({ app });
    return rows.map(dynoFromRow);
  }

  // ---- buildpacks ----

  /** The app's buildpack list, in order (empty: detect). */
  getBuildpacks(app: string): string[] {
    return this.q.listBuildpacks.all({ app }).map((r) => r.url);
  }

  /** Replaces the app's buildpack list. */
  setBuildpacks(app: string, urls: string[]): void {
    this.transaction(() => {
      this.requireApp(app);
      this.q.clearBuildpacks.run({ app });
      urls.forEach((url, i) => this.q.insertBuildpack.run({ app, position: i + 1, url }));
    });
  }

  // ---- domains ----

  /** Routes host (lower-cased) to app; conflict if another app has it, a no-op if this one does. */
  addDomain(host: string, app: string): void {
    const h = validateDomain(host);
    this.transaction(() => {
      this.requireApp(app);
      const owner = this.q.getDomain.get(h);
      if (owner?.app === app) return;
      if (owner) {
        throw conflict(
          `domain '${h}' is already used by app '${owner.app}'`,
          `remove it there first: minik domains:remove ${h} --app ${owner.app}`,
        );
      }
      this.q.insertDomain.run({ host: h, app });
    });
  }

  /** Removes a custom domain; notFound when no app has it. */
  removeDomain(host: string): void {
    const h = host.trim().toLowerCase().replace(/\.$/, '');
    if (this.q.deleteDomain.run(h).changes === 0) {
      throw notFound(`domain '${h}' not found`, "run 'minik domains' to list an app's domains");
    }
  }

  /** Custom domains of one app, or of all apps (by app, then host). */
  listDomains(app?: string): Domain[] {
    return app === undefined ? this.q.listDomains.all() : this.q.listAppDomains.all({ app });
  }

  private requireRelease(app: string, version: number): Release {
    const release = this.getRelease(app, version);
    if (release) return release;
    this.requireApp(app);
    throw notFound(`release v${version} of app '${app}' not found`, `run 'minik releases --app ${app}' to list releases`);
  }
}

function checkScale(type: string, quantity: number): void {
  if (!isProcessType(type)) {
    throw invalid(`process type '${type}' is invalid: use 1-63 letters, digits, '-' and '_'`);
  }
  checkQuantity(`scale ${type}`, quantity, `minik scale ${type}=2`);
}


function now(): string {
  return new Date().toISOString();
}
