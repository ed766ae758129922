// Why: the one place that knows how a domain object looks as a row (snake_case, JSON text, 0/1 for
// booleans), so the rest of the store speaks only in core types.
import { dict } from '../core/dict.js';
import type { App, ConfigVars, DynoRecord, DynoState, Release, ReleaseStatus, Runtime } from '../core/types.js';

/** A row of `apps`, as SQLite returns it. */
export interface AppRow {
  name: string;
  source_dir: string;
  created_at: string;
  maintenance: number;
  current_release: number | null;
}

/** A row of `releases`; config, dotenv and process_types hold JSON objects of strings. */
export interface ReleaseRow {
  app: string;
  version: number;
  slug: string | null;
  config: string;
  dotenv: string;
  process_types: string;
  buildpack: string;
  description: string;
  status: ReleaseStatus;
  created_at: string;
  source_version: string | null;
  runtime: string | null;
}

/** A row of `dynos`. */
export interface DynoRow {
  app: string;
  name: string;
  type: string;
  release: number;
  pid: number;
  pgid: number;
  start_time: number;
  port: number | null;
  state: DynoState;
  command: string;
  since: string;
  restarts: number;
  boot_id: string;
  marker: string;
}

/** Maps an apps row to an App. */
export function appFromRow(r: AppRow): App {
  return {
    name: r.name,
    sourceDir: r.source_dir,
    createdAt: r.created_at,
    maintenance: r.maintenance === 1,
    currentRelease: r.current_release,
  };
}

/** Maps a releases row to a Release, parsing its JSON columns. */
export function releaseFromRow(r: ReleaseRow): Release {
  return {
    app: r.app,
    version: r.version,
    slug: r.slug,
    config: parseStringRecord(r.config, 'releases.config'),
    dotenv: parseStringRecord(r.dotenv, 'releases.dotenv'),
    processTypes: parseStringRecord(r.process_types, 'releases.process_types'),
    buildpack: r.buildpack,
    description: r.description,
    status: r.status,
    createdAt: r.created_at,
    // Only git deploys have one; folder deploys keep the shape they had before the column existed.
    ...(r.source_version ? { sourceVersion: r.source_version } : {}),
    ...(r.runtime ? { runtime: JSON.parse(r.runtime) as Runtime } : {}),
  };
}

/** Maps a Release to the row written by INSERT. */
export function releaseToRow(r: Release): ReleaseRow {
  return {
    app: r.app,
    version: r.version,
    slug: r.slug,
    config: JSON.stringify(r.config),
    dotenv: JSON.stringify(r.dotenv),
    process_types: JSON.stringify(r.processTypes),
    buildpack: r.buildpack,
    description: r.description,
    status: r.status,
    created_at: r.createdAt,
    source_version: r.sourceVersion ?? null,
    runtime: r.runtime ? JSON.stringify(r.runtime) : null,
  };
}

/** Maps a dynos row to a DynoRecord. */
export function dynoFromRow(r: DynoRow): DynoRecord {
  return {
    app: r.app,
    name: r.name,
    type: r.type,
    release: r.release,
    pid: r.pid,
    pgid: r.pgid,
    startTime: r.start_time,
    port: r.port,
    state: r.state,
    command: r.command,
    since: r.since,
    restarts: r.restarts,
    bootId: r.boot_id,
    marker: r.marker,
  };
}

/** Maps a DynoRecord to the row written by the upsert. */
export function dynoToRow(d: DynoRecord): DynoRow {
  return {
    app: d.app,
    name: d.name,
    type: d.type,
    release: d.release,
    pid: d.pid,
    pgid: d.pgid,
    start_time: d.startTime,
    port: d.port,
    state: d.state,
    command: d.command,
    since: d.since,
    restarts: d.restarts,
    boot_id: d.bootId,
    marker: d.marker,
  };
}

/** Parses a JSON column that must hold an object of string values (config vars, process types). */
export function parseStringRecord(text: string, column: string): ConfigVars {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${column} holds ${text.slice(0, 40)}, not a JSON object`);
  }
  const entries = Object.entries(value);
  for (const [k, v] of entries) {
    if (typeof v !== 'string') throw new Error(`${column} key '${k}' holds a ${typeof v}, not a string`);
  }
  // No prototype: a key named __proto__ survives and 'constructor' is never found by accident.
  return dict(entries as [string, string][]);
}
