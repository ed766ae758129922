// Why: the metrics tables' SQL, kept with the rest of minik's SQL; the collector batches its writes into
// one call of writeBatch per second at most.
import type Database from 'better-sqlite3';
import type { AppMetrics, DynoMetrics } from '../core/metrics.js';

interface AppRow { app: string; res: number; at: number; requests: number; c2xx: number; c3xx: number; c4xx: number; c5xx: number; errors: string; p50: number | null; p95: number | null; p99: number | null; max: number | null; bytes: number }
interface DynoRow { app: string; dyno: string; res: number; at: number; rss: number; cpu: number; restarts: number; state_changes: number }

/** Reads and writes metrics rows; each write method is one transaction. */
export class MetricsStore {
  private readonly putApp: Database.Statement;
  private readonly putDyno: Database.Statement;
  private readonly appRange: Database.Statement<unknown[], AppRow>;
  private readonly dynoRange: Database.Statement<unknown[], DynoRow>;

  constructor(private readonly db: Database.Database) {
    this.putApp = db.prepare(`INSERT OR REPLACE INTO metrics_app VALUES
      (@app, @res, @at, @requests, @c2xx, @c3xx, @c4xx, @c5xx, @errors, @p50, @p95, @p99, @max, @bytes)`);
    this.putDyno = db.prepare(`INSERT OR REPLACE INTO metrics_dyno VALUES (@app, @dyno, @res, @at, @rss, @cpu, @restarts, @state_changes)`);
    this.appRange = db.prepare(`SELECT * FROM metrics_app WHERE (@app IS NULL OR app = @app) AND res = @res AND at >= @from AND at < @to ORDER BY at, app`);
    this.dynoRange = db.prepare(`SELECT * FROM metrics_dyno WHERE (@app IS NULL OR app = @app) AND res = @res AND at >= @from AND at < @to ORDER BY at, app, dyno`);
  }

  /** Writes (or replaces) rows of both kinds in one transaction. */
  writeBatch(apps: AppMetrics[], dynos: DynoMetrics[]): void {
    this.db.transaction(() => {
      for (const m of apps) this.putApp.run({ ...m, errors: JSON.stringify(m.errors) });
      for (const d of dynos) this.putDyno.run({ app: d.app, dyno: d.dyno, res: d.res, at: d.at, rss: d.rss, cpu: d.cpu, restarts: d.restarts, state_changes: d.stateChanges });
    })();
  }

  /** App rows of one resolution with from <= at < to, oldest first; app null = every app. */
  appMetrics(app: string | null, res: 1 | 10, from: number, to: number): AppMetrics[] {
    return this.appRange.all({ app, res, from, to }).map((r) => ({ ...r, res: r.res as 1 | 10, errors: JSON.parse(r.errors) as Record<string, number> }));
  }

  /** Dyno rows of one resolution with from <= at < to, oldest first. */
  dynoMetrics(app: string | null, res: 1 | 10, from: number, to: number): DynoMetrics[] {
    return this.dynoRange.all({ app, res, from, to }).map((r) => ({
      app: r.app, dyno: r.dyno, res: r.res as 1 | 10, at: r.at, rss: r.rss, cpu: r.cpu, restarts: r.restarts, stateChanges: r.state_changes,
    }));
  }

  /** Deletes 1-minute rows before minuteCutoff, 10-minute rows before tenCutoff, and rows of apps that are gone. */
  prune(minuteCutoff: number, tenCutoff: number): void {
    this.db.transaction(() => {
      for (const t of ['metrics_app', 'metrics_dyno']) {
        this.db.prepare(`DELETE FROM ${t} WHERE (res = 1 AND at < ?) OR (res = 10 AND at < ?) OR app NOT IN (SELECT name FROM apps)`).run(minuteCutoff, tenCutoff);
      }
    })();
  }
}
