// Why: the schema evolves by appending SQL here, never by editing an applied entry; PRAGMA user_version
// records how many have run, so a restarted daemon (or a newer minik) opens any older database.
import type Database from 'better-sqlite3';
import { MinikError } from '../core/errors.js';

/** Ordered schema migrations; entry i takes the database from user_version i to i + 1. Append only. */
export const migrations: readonly string[] = [
  `
  CREATE TABLE apps (
    name            TEXT PRIMARY KEY NOT NULL,
    source_dir      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    maintenance     INTEGER NOT NULL DEFAULT 0 CHECK (maintenance IN (0, 1)),
    current_release INTEGER NULL
  ) STRICT;
  CREATE INDEX apps_source_dir ON apps (source_dir);

  CREATE TABLE releases (
    app           TEXT NOT NULL REFERENCES apps (name) ON DELETE CASCADE,
    version       INTEGER NOT NULL CHECK (version >= 1),
    slug          TEXT NULL,
    config        TEXT NOT NULL CHECK (json_valid(config)),
    dotenv        TEXT NOT NULL CHECK (json_valid(dotenv)),
    process_types TEXT NOT NULL CHECK (json_valid(process_types)),
    buildpack     TEXT NOT NULL,
    description   TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    created_at    TEXT NOT NULL,
    PRIMARY KEY (app, version)
  ) STRICT;

  CREATE TABLE config_vars (
    app   TEXT NOT NULL REFERENCES apps (name) ON DELETE CASCADE,
    key   TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (app, key)
  ) STRICT;

  CREATE TABLE formation (
    app      TEXT NOT NULL REFERENCES apps (name) ON DELETE CASCADE,
    type     TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity BETWEEN 0 AND 100),
    PRIMARY KEY (app, type)
  ) STRICT;

  CREATE TABLE dynos (
    app        TEXT NOT NULL REFERENCES apps (name) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    type       TEXT NOT NULL,
    release    INTEGER NOT NULL,
    pid        INTEGER NOT NULL,
    pgid       INTEGER NOT NULL,
    start_time INTEGER NOT NULL,
    port       INTEGER NULL,
    state      TEXT NOT NULL CHECK (state IN ('starting', 'up', 'crashed', 'stopping', 'down')),
    command    TEXT NOT NULL,
    since      TEXT NOT NULL,
    restarts   INTEGER NOT NULL DEFAULT 0,
    -- During a preboot deploy the old and the new web.1 run side by side: both must be found after a crash.
    PRIMARY KEY (app, name, release)
  ) STRICT;

  CREATE TABLE domains (
    host TEXT PRIMARY KEY NOT NULL,
    app  TEXT NOT NULL REFERENCES apps (name) ON DELETE CASCADE
  ) STRICT;
  CREATE INDEX domains_app ON domains (app);
  `,
  // 2: the proof of ownership recovery needs before it signals a recorded dyno (STYLE.md convention 13).
  // Rows from before hold '' and prove nothing, so recovery leaves their pids alone.
  `
  ALTER TABLE dynos ADD COLUMN boot_id TEXT NOT NULL DEFAULT '';
  ALTER TABLE dynos ADD COLUMN marker TEXT NOT NULL DEFAULT '';
  `,
  // Metrics (1-minute rows kept 24 h, 10-minute rows 7 days), log drains, autoscaling and labs features.
  // Metrics rows carry no foreign key: the collector may flush a minute of an app destroyed meanwhile;
  // pruning removes rows of apps that no longer exist.
  `
  CREATE TABLE metrics_app (
    app      TEXT NOT NULL,
    res      INTEGER NOT NULL CHECK (res IN (1, 10)),
    at       INTEGER NOT NULL,
    requests INTEGER NOT NULL,
    c2xx     INTEGER NOT NULL,
    c3xx     INTEGER NOT NULL,
    c4xx     INTEGER NOT NULL,
    c5xx     INTEGER NOT NULL,
    errors   TEXT NOT NULL CHECK (json_valid(errors)),
    p50      INTEGER NULL,
    p95      INTEGER NULL,
    p99      INTEGER NULL,
    max      INTEGER NULL,
    bytes    INTEGER NOT NULL,
    PRIMARY KEY (app, res, at)
  ) STRICT;

  CREATE TABLE metrics_dyno (
    app           TEXT NOT NULL,
    dyno          TEXT NOT NULL,
    res           INTEGER NOT NULL CHECK (res IN (1, 10)),
    at            INTEGER NOT NULL,
    rss           INTEGER NOT NULL,
    cpu           REAL NOT NULL,
    restarts      INTEGER NOT NULL,
    state_changes INTEGER NOT NULL,
    PRIMARY KEY (app, dyno, res, at)
  ) STRICT;

  CREATE TABLE drains (
    app        TEXT NOT NULL REFERENCES apps (name) ON DELETE CASCADE,
    url        TEXT NOT NULL,
    token      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (app, url)
  ) STRICT;

  CREATE TABLE autoscale (
    app  TEXT NOT NULL REFERENCES apps (name) ON DELETE CASCADE,
    type TEXT NOT NULL,
    min  INTEGER NOT NULL CHECK (min >= 1),
    max  INTEGER NOT NULL CHECK (max >= min AND max <= 100),
    p95  INTEGER NOT NULL CHECK (p95 > 0),
    PRIMARY KEY (app, type)
  ) STRICT;

  CREATE TABLE labs (
    app     TEXT NOT NULL REFERENCES apps (name) ON DELETE CASCADE,
    feature TEXT NOT NULL,
    PRIMARY KEY (app, feature)
  ) STRICT;
  `,
  // git push deploys: the commit a release's slug was built from.
  `ALTER TABLE releases ADD COLUMN source_version TEXT NULL CHECK (source_version IS NULL OR length(source_version) BETWEEN 40 AND 64);`,
  `
  -- Add-ons (issue 11). No foreign key to apps: an add-on outlives its first app when attached elsewhere.
  CREATE TABLE addons (
    name       TEXT PRIMARY KEY NOT NULL,
    service    TEXT NOT NULL CHECK (service IN ('heroku-postgresql', 'heroku-redis')),
    plan       TEXT NOT NULL,
    app        TEXT NOT NULL,
    port       INTEGER NOT NULL UNIQUE CHECK (port BETWEEN 1 AND 65535),
    password   TEXT NOT NULL,
    version    TEXT NULL,
    created_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE addon_attachments (
    app        TEXT NOT NULL REFERENCES apps (name) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    addon      TEXT NOT NULL REFERENCES addons (name) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (app, name)
  ) STRICT;
  CREATE INDEX addon_attachments_addon ON addon_attachments (addon);
  `,
  // An app's buildpack list (buildpacks:set/add/remove/clear), in order.
  `
  CREATE TABLE app_buildpacks (
    app      TEXT NOT NULL REFERENCES apps (name) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 1),
    url      TEXT NOT NULL CHECK (length(url) BETWEEN 1 AND 2048),
    PRIMARY KEY (app, position),
    UNIQUE (app, url)
  ) STRICT;
  `,
  // Issue 9: the interpreter a release's build selected (language, version, executable), as JSON.
  `ALTER TABLE releases ADD COLUMN runtime TEXT NULL CHECK (runtime IS NULL OR json_valid(runtime));`,
];

/** Brings the database up to the latest schema in one transaction; returns the resulting version. */
export function migrate(db: Database.Database, file: string): number {
  const current = db.pragma('user_version', { simple: true });
  if (typeof current !== 'number') throw new Error(`PRAGMA user_version returned ${String(current)}`);
  if (current > migrations.length) {
    throw new MinikError(
      `database ${file} has schema version ${current}, but this minik only knows up to ${migrations.length}`,
      { hint: 'upgrade minik, or point MINIK_HOME at another folder', code: 'invalid' },
    );
  }
  if (current === migrations.length) return current;
  db.transaction(() => {
    for (let v = current; v < migrations.length; v++) db.exec(migrations[v]!);
    // PRAGMA takes no bound parameters; the value is our own integer.
    db.pragma(`user_version = ${migrations.length}`);
  })();
  return migrations.length;
}
