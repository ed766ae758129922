// Why: per-app settings of the newer capabilities (drains, autoscaling, labs), each a small table.
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { conflict, invalid } from '../core/errors.js';
import type { AutoscaleSettings, Drain, LabsFeature } from '../core/metrics.js';

/** Drains, autoscale settings and labs features; app existence is checked by the caller (Store.requireApp). */
export class FeatureStore {
  constructor(private readonly db: Database.Database) {}

  /** Adds a drain with a fresh Logplex-Drain-Token (`d.<uuid>`, as Heroku's). */
  addDrain(app: string, url: string): Drain {
    const drain: Drain = { app, url, token: `d.${randomUUID()}`, createdAt: new Date().toISOString() };
    const r = this.db.prepare(`INSERT OR IGNORE INTO drains VALUES (@app, @url, @token, @createdAt)`).run(drain);
    if (r.changes === 0) throw conflict(`${url} is already a drain of ${app}`, `see 'minik drains -a ${app}'`);
    return drain;
  }

  /** Removes a drain; invalid when the app has no such drain. */
  removeDrain(app: string, url: string): void {
    const r = this.db.prepare(`DELETE FROM drains WHERE app = ? AND url = ?`).run(app, url);
    if (r.changes === 0) throw invalid(`${url} is not a drain of ${app}`, `see 'minik drains -a ${app}'`);
  }

  /** Drains of one app, or of every app when app is null, oldest first. */
  listDrains(app: string | null = null): Drain[] {
    return (this.db.prepare(`SELECT app, url, token, created_at AS createdAt FROM drains WHERE (@app IS NULL OR app = @app) ORDER BY created_at, url`)
      .all({ app }) as Drain[]);
  }

  /** Turns autoscaling on (or changes its range) for a process type. */
  setAutoscale(s: AutoscaleSettings): void {
    this.db.prepare(`INSERT OR REPLACE INTO autoscale VALUES (@app, @type, @min, @max, @p95)`).run(s);
  }

  /** Turns autoscaling off; returns whether it was on. */
  clearAutoscale(app: string, type: string): boolean {
    return this.db.prepare(`DELETE FROM autoscale WHERE app = ? AND type = ?`).run(app, type).changes > 0;
  }

  /** Autoscale settings of one app, or of every app when app is null. */
  listAutoscale(app: string | null = null): AutoscaleSettings[] {
    return this.db.prepare(`SELECT * FROM autoscale WHERE (@app IS NULL OR app = @app) ORDER BY app, type`).all({ app }) as AutoscaleSettings[];
  }

  /** Enables or disables a labs feature for an app. */
  setLabs(app: string, feature: LabsFeature, on: boolean): void {
    if (on) this.db.prepare(`INSERT OR IGNORE INTO labs VALUES (?, ?)`).run(app, feature);
    else this.db.prepare(`DELETE FROM labs WHERE app = ? AND feature = ?`).run(app, feature);
  }

  /** The apps with a labs feature enabled. */
  appsWithLabs(feature: LabsFeature): string[] {
    return (this.db.prepare(`SELECT app FROM labs WHERE feature = ? ORDER BY app`).all(feature) as { app: string }[]).map((r) => r.app);
  }
}
