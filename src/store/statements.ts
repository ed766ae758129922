// Why: every SQL statement minik runs, prepared once per connection (after migrations) and typed by its
// parameters and result row, so Store methods never build SQL or see an untyped row.
import type Database from 'better-sqlite3';
import type { AppRow, DynoRow, ReleaseRow } from './rows.js';

type App = { app: string };
type AppVersion = { app: string; version: number };
// Dynos sort by type, then numerically by index: web.2 before web.10.
const DYNO_ORDER = "type, CAST(substr(name, instr(name, '.') + 1) AS INTEGER), name";

/** Prepares the store's statements on an open, migrated connection. */
export function prepareStatements(db: Database.Database) {
  return {
    // apps
    insertApp: db.prepare<AppRow>(
      `INSERT INTO apps (name, source_dir, created_at, maintenance, current_release)
       VALUES (@name, @source_dir, @created_at, @maintenance, @current_release)`,
    ),
    getApp: db.prepare<[string], AppRow>('SELECT * FROM apps WHERE name = ?'),
    listApps: db.prepare<[], AppRow>('SELECT * FROM apps ORDER BY name'),
    findAppBySourceDir: db.prepare<[string], AppRow>(
      'SELECT * FROM apps WHERE source_dir = ? ORDER BY created_at, name LIMIT 1',
    ),
    deleteApp: db.prepare<[string]>('DELETE FROM apps WHERE name = ?'),
    setMaintenance: db.prepare<{ name: string; on: number }>('UPDATE apps SET maintenance = @on WHERE name = @name'),
    setSourceDir: db.prepare<{ name: string; dir: string }>('UPDATE apps SET source_dir = @dir WHERE name = @name'),
    setCurrentRelease: db.prepare<{ name: string; version: number }>(
      'UPDATE apps SET current_release = @version WHERE name = @name',
    ),

    // releases
    nextReleaseVersion: db.prepare<App, { next: number }>(
      'SELECT COALESCE(MAX(version), 0) + 1 AS next FROM releases WHERE app = @app',
    ),
    insertRelease: db.prepare<ReleaseRow>(
      `INSERT INTO releases (app, version, slug, config, dotenv, process_types, buildpack, description, status, created_at, source_version, runtime)
       VALUES (@app, @version, @slug, @config, @dotenv, @process_types, @buildpack, @description, @status, @created_at, @source_version, @runtime)`,
    ),
    getRelease: db.prepare<AppVersion, ReleaseRow>('SELECT * FROM releases WHERE app = @app AND version = @version'),
    listReleases: db.prepare<App, ReleaseRow>('SELECT * FROM releases WHERE app = @app ORDER BY version DESC'),
    setReleaseStatus: db.prepare<AppVersion & { status: string }>(
      'UPDATE releases SET status = @status WHERE app = @app AND version = @version',
    ),
    setReleaseSlug: db.prepare<AppVersion & { slug: string | null }>(
      'UPDATE releases SET slug = @slug WHERE app = @app AND version = @version',
    ),

    // config vars
    getConfig: db.prepare<App, { key: string; value: string }>(
      'SELECT key, value FROM config_vars WHERE app = @app ORDER BY key',
    ),
    upsertConfigVar: db.prepare<App & { key: string; value: string }>(
      `INSERT INTO config_vars (app, key, value) VALUES (@app, @key, @value)
       ON CONFLICT (app, key) DO UPDATE SET value = excluded.value`,
    ),
    deleteConfigVar: db.prepare<App & { key: string }>('DELETE FROM config_vars WHERE app = @app AND key = @key'),

    // formation
    getFormation: db.prepare<App, { type: string; quantity: number }>(
      'SELECT type, quantity FROM formation WHERE app = @app ORDER BY type',
    ),
    upsertFormation: db.prepare<App & { type: string; quantity: number }>(
      `INSERT INTO formation (app, type, quantity) VALUES (@app, @type, @quantity)
       ON CONFLICT (app, type) DO UPDATE SET quantity = excluded.quantity`,
    ),

    // dynos
    upsertDyno: db.prepare<DynoRow>(
      `INSERT INTO dynos (app, name, type, release, pid, pgid, start_time, port, state, command, since, restarts, boot_id, marker)
       VALUES (@app, @name, @type, @release, @pid, @pgid, @start_time, @port, @state, @command, @since, @restarts, @boot_id, @marker)
       ON CONFLICT (app, name, release) DO UPDATE SET
         type = excluded.type, pid = excluded.pid, pgid = excluded.pgid,
         start_time = excluded.start_time, port = excluded.port, state = excluded.state,
         command = excluded.command, since = excluded.since, restarts = excluded.restarts,
         boot_id = excluded.boot_id, marker = excluded.marker`,
    ),
    deleteDyno: db.prepare<App & { name: string }>('DELETE FROM dynos WHERE app = @app AND name = @name'),
    deleteDynoOfRelease: db.prepare<App & { name: string; release: number }>(
      'DELETE FROM dynos WHERE app = @app AND name = @name AND release = @release',
    ),
    listDynos: db.prepare<[], DynoRow>(`SELECT * FROM dynos ORDER BY app, ${DYNO_ORDER}`),
    listAppDynos: db.prepare<App, DynoRow>(`SELECT * FROM dynos WHERE app = @app ORDER BY ${DYNO_ORDER}`),

    // buildpacks
    listBuildpacks: db.prepare<App, { url: string }>('SELECT url FROM app_buildpacks WHERE app = @app ORDER BY position'),
    clearBuildpacks: db.prepare<App>('DELETE FROM app_buildpacks WHERE app = @app'),
    insertBuildpack: db.prepare<App & { position: number; url: string }>(
      'INSERT INTO app_buildpacks (app, position, url) VALUES (@app, @position, @url)',
    ),

    // domains
    getDomain: db.prepare<[string], { host: string; app: string }>('SELECT host, app FROM domains WHERE host = ?'),
    insertDomain: db.prepare<{ host: string; app: string }>('INSERT INTO domains (host, app) VALUES (@host, @app)'),
    deleteDomain: db.prepare<[string]>('DELETE FROM domains WHERE host = ?'),
    listDomains: db.prepare<[], { host: string; app: string }>('SELECT host, app FROM domains ORDER BY app, host'),
    listAppDomains: db.prepare<App, { host: string; app: string }>(
      'SELECT host, app FROM domains WHERE app = @app ORDER BY host',
    ),
  };
}

/** The prepared statements a Store holds. */
export type Statements = ReturnType<typeof prepareStatements>;
