// Why: Postgres add-ons run real PostgreSQL (the pinned npm binaries, else the system's) driven directly —
// initdb, then `postgres` as our own child — so minik holds its pid and process group, and picks its OS user. Each
// serves SSL and plain connections alike, as Heroku Postgres does (the certificate, and SSL off when it cannot be
// made: pgtls.ts).
import { chmod, chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import pg from 'pg';
import type { ServerCerts } from '../certs/index.js';
import type { AddonRecord } from '../core/addons.js';
import { MinikError } from '../core/errors.js';
import type { Driver, ServerCommand } from './driver.js';
import { checkReachable, postgresRunAs, type RunAs } from './osuser.js';
import { serverTls } from './pgtls.js';
import { signal } from './proc.js';
import { postgresBinaries, postgresMajor } from './tools.js';

/**
 * How long one readiness query may take to connect and answer. A refused or "starting up" connection fails at
 * once; the bound only matters for a server that accepted the socket and stalls (a loaded machine).
 */
const PROBE_TIMEOUT_MS = 2000;

/** Makes a fresh data folder in `dir`/data (initdb, superuser `postgres` with the add-on's password); returns the major version. */
export async function provisionPostgres(a: AddonRecord, dir: string): Promise<{ version: string }> {
  const bins = await postgresBinaries();
  const runAs = await postgresRunAs();
  const data = join(dir, 'data');
  await rm(data, { recursive: true, force: true });
  await prepareFolders(dir, data, runAs, bins.initdb);
  // initdb reads the superuser's password from a file the server's user can read; it is removed right after.
  const pwfile = join(dir, 'pwfile');
  await writeFile(pwfile, `${a.password}\n`, { mode: 0o600 });
  if (runAs) await chown(pwfile, runAs.uid, runAs.gid);
  try {
    const r = await execa(bins.initdb, ['-D', data, '-U', 'postgres', '-A', 'scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--locale=C'],
      { ...ids(runAs), cwd: data, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' }, extendEnv: false, reject: false, all: true });
    if (r.exitCode !== 0) {
      const last = String(r.all ?? '').trim().split('\n').slice(-2).join(' ');
      throw new MinikError(`initdb failed for ${a.name}: ${last || `exit status ${r.exitCode}`}`, { hint: `see ${data}; the binaries are ${bins.initdb}` });
    }
  } finally {
    await rm(pwfile, { force: true });
  }
  return { version: await postgresMajor(bins.postgres) };
}

/** The `postgres` argv for a data folder and port, with the SSL options `tls` (pure). */
export function postgresArgs(data: string, port: number, tls: readonly string[]): string[] {
  return ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=100', ...tls];
}

/** The Postgres driver; `certs` is minik's local CA (the daemon's CertStore), which makes each add-on's certificate. */
export function postgresDriver(certs: ServerCerts): Driver {
  return {
    process: 'postgres',

    provision: provisionPostgres,

    async command(a, dir): Promise<ServerCommand> {
      const bins = await postgresBinaries();
      const runAs = await postgresRunAs();
      const data = join(dir, 'data');
      await prepareFolders(dir, data, runAs, bins.postgres);
      const onDisk = (await readFile(join(data, 'PG_VERSION'), 'utf8').catch(() => '')).trim();
      const major = await postgresMajor(bins.postgres);
      checkVersion(a, onDisk, major);
      const tls = await serverTls(a.name, dir, runAs, certs);
      return { file: bins.postgres, args: postgresArgs(data, a.port, tls.args), cwd: data, ...ids(runAs), ...(tls.note ? { note: tls.note } : {}) };
    },

    pidFile: (dir) => join(dir, 'data', 'postmaster.pid'),

    // Why a query: "ready" in postmaster.pid is the server's word; SELECT 1 on the add-on's port with its password is
    // what a client does, so nothing is told "up" that a client would find refused. Line 1 proves the server ours, and
    // waiting for line 8's "ready" spares the log a FATAL "the database system is starting up" per early try.
    async isReady(a, dir, pid) {
      const lines = (await readFile(join(dir, 'data', 'postmaster.pid'), 'utf8').catch(() => '')).split('\n');
      return Number(lines[0]) === pid && lines[7]?.trim() === 'ready' && acceptsQuery(a);
    },

    async askStop(_a, _dir, pid) {
      signal(pid, 'SIGINT'); // "fast" shutdown: roll back open transactions, close clients, checkpoint, exit
    },
  };
}

/**
 * Runs `SELECT 1` as the add-on's superuser, with its password, on one client that is always closed. In the clear,
 * whatever PGSSLMODE the daemon inherited (pg reads it): a server started with ssl=on and a certificate it cannot
 * load exits at start, and one whose certificate could not be made runs with ssl=off (pgtls.ts), so a clear query is
 * the one both answer.
 */
export async function acceptsQuery(a: Pick<AddonRecord, 'port' | 'password'>): Promise<boolean> {
  const client = new pg.Client({
    host: '127.0.0.1', port: a.port, user: 'postgres', database: 'postgres', password: a.password, ssl: false,
    connectionTimeoutMillis: PROBE_TIMEOUT_MS, query_timeout: PROBE_TIMEOUT_MS, application_name: 'minik readiness check',
  });
  client.on('error', () => undefined); // a server going away mid-check is a "no", not an unhandled error event
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Refuses a data folder made by another major version, with the upgrade steps (dump and restore); a folder
 * without PG_VERSION was never initialised.
 */
export function checkVersion(a: Pick<AddonRecord, 'name' | 'app' | 'version'>, onDisk: string, major: string): void {
  if (onDisk === '') throw new MinikError(`the data folder of ${a.name} has no PG_VERSION: it was never initialised or was damaged`, { hint: `recreate it with 'minik pg:reset --confirm ${a.app} -a ${a.app}' (its data is lost), or restore a backup afterwards` });
  const made = a.version ?? onDisk;
  if (onDisk === major && made === major) return;
  throw new MinikError(`the data folder of ${a.name} was made by PostgreSQL ${onDisk === major ? made : onDisk}, but this minik runs PostgreSQL ${major}: minik will not start it`, {
    hint: `to upgrade, dump and restore: run minik with PostgreSQL ${onDisk} binaries and 'minik pg:backups:capture -a ${a.app}', then with PostgreSQL ${major} 'minik pg:reset --confirm ${a.app} -a ${a.app}' and 'minik pg:backups:restore --confirm ${a.app} -a ${a.app}'`,
    code: 'version_mismatch',
  });
}

function ids(runAs: RunAs | null): { uid?: number; gid?: number } {
  return runAs ? { uid: runAs.uid, gid: runAs.gid } : {};
}

/**
 * As root: MINIK_HOME, addons/ and the add-on's folder become passable (0711, nothing listable) so the server's
 * user reaches its data folder, which it owns (0700); the binaries must be readable by it too.
 */
async function prepareFolders(dir: string, data: string, runAs: RunAs | null, binary: string): Promise<void> {
  await mkdir(data, { recursive: true, mode: 0o700 });
  await chmod(data, 0o700);
  if (!runAs) return;
  for (const d of [dirname(dirname(dir)), dirname(dir), dir]) await chmod(d, 0o711);
  await chown(data, runAs.uid, runAs.gid);
  checkReachable(data, runAs, 'its data folder');
  checkReachable(dirname(binary), runAs, 'its binaries in');
}
