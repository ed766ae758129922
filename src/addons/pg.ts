// Why: the pg:* commands' work in the daemon: info, backups (pg_dump -Fc / pg_restore, as Dokku does) and reset.
// The client tools come from Debian's postgresql-client; the password travels in PGPASSWORD, never in argv.
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import type { AddonRecord, BackupView } from '../core/addons.js';
import { MinikError, notFound } from '../core/errors.js';
import type { Output } from '../deploy/context.js';
import type { Addons } from './manager.js';
import { provisionPostgres } from './postgres.js';
import { checkConfirm } from './services.js';
import { requireTool } from './tools.js';

/** What a client needs to reach the database (pg:psql runs psql itself, attached to the terminal). */
export interface PgConnection { host: string; port: number; user: string; database: string; password: string; psql: string }

/** `b7` → `b007`; the id of backup number n. */
export function backupId(n: number): string {
  return `b${String(n).padStart(3, '0')}`;
}

/** The connection for pg:psql, with psql's path (or the sentence naming its package), once the server accepts queries. */
export async function pgConnection(addons: Addons, app: string, ref: string): Promise<PgConnection> {
  const a = await ready(addons, app, ref);
  return { host: '127.0.0.1', port: a.port, user: 'postgres', database: 'postgres', password: a.password, psql: requireTool('psql') };
}

/** Runs a client tool against the add-on; throws its last error line as one sentence. */
async function client(tool: string, a: AddonRecord, args: string[]): Promise<string> {
  const r = await execa(requireTool(tool), ['-h', '127.0.0.1', '-p', String(a.port), '-U', 'postgres', ...args], {
    env: { PGPASSWORD: a.password, PGCONNECT_TIMEOUT: '10' }, reject: false, all: true,
  });
  if (r.exitCode !== 0) {
    const last = String(r.all ?? '').trim().split('\n').filter((l) => /error|fatal/i.test(l)).pop() ?? String(r.all ?? '').trim().split('\n').pop();
    throw new MinikError(`${tool} failed on ${a.name}: ${last || `exit status ${r.exitCode}`}`, { hint: `is it up? see 'minik addons:info ${a.name}' and 'minik logs --ps postgres'` });
  }
  return String(r.stdout ?? '');
}

/** pg:info's figures, read with psql. */
export async function pgInfo(addons: Addons, app: string, ref: string): Promise<Record<string, string | number>> {
  const a = await ready(addons, app, ref);
  const sql = `SELECT current_setting('server_version'),
    (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend') - 1, current_setting('max_connections'),
    pg_database_size(current_database()),
    (SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema'))`;
  const [version, conns, max, size, tables] = (await client('psql', a, ['-d', 'postgres', '-At', '-F', '|', '-c', sql])).trim().split('|');
  return { addon: a.name, version: version ?? '', connections: Number(conns), maxConnections: Number(max), dataSize: Number(size), tables: Number(tables) };
}

/** `pg:backups`: the app's database's backups, oldest first. */
export function appBackups(addons: Addons, app: string, ref: string): Promise<BackupView[]> {
  return listBackups(addons, pg(addons, app, ref));
}

/** `pg:backups:download`: the backup's file for the CLI to copy. */
export function appBackupFile(addons: Addons, app: string, ref: string, id?: string): Promise<BackupView & { path: string }> {
  return backupFile(addons, pg(addons, app, ref), id);
}

const pg = (addons: Addons, app: string, ref: string) => addons.resolve(app, ref, 'heroku-postgresql');

/** The app's Postgres add-on once its server accepts queries: what every command that connects to it waits for. */
async function ready(addons: Addons, app: string, ref: string): Promise<AddonRecord> {
  const a = pg(addons, app, ref);
  await addons.whenReady(a);
  return a;
}

async function listBackups(addons: Addons, a: AddonRecord): Promise<BackupView[]> {
  const dir = join(addons.dir(a.name), 'backups');
  const files = (await readdir(dir).catch(() => [])).filter((f) => /^b[0-9]{3,}\.dump$/.test(f)).sort((x, y) => num(x) - num(y));
  return Promise.all(files.map(async (f) => {
    const st = await stat(join(dir, f));
    return { id: f.slice(0, -5), addon: a.name, size: st.size, createdAt: st.mtime.toISOString() };
  }));
}

const num = (f: string) => Number(f.slice(1).replace(/\.dump$/, ''));

/** The backup's file: the given id, or the newest; notFound naming what exists. */
async function backupFile(addons: Addons, a: AddonRecord, id?: string): Promise<BackupView & { path: string }> {
  const all = await listBackups(addons, a);
  const b = id === undefined ? all[all.length - 1] : all.find((x) => x.id === id.toLowerCase());
  if (!b) {
    throw notFound(id === undefined ? `${a.name} has no backups yet` : `${a.name} has no backup ${id}`,
      all.length ? `its backups: ${all.map((x) => x.id).join(', ')}` : `capture one: minik pg:backups:capture -a ${a.app}`);
  }
  return { ...b, path: join(addons.dir(a.name), 'backups', `${b.id}.dump`) };
}

/** `pg:backups:capture`: `pg_dump -Fc --no-acl --no-owner` into the next bNNN.dump. */
export async function captureBackup(addons: Addons, app: string, ref: string, out: Output): Promise<BackupView> {
  const a = await ready(addons, app, ref);
  const dir = join(addons.dir(a.name), 'backups');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const all = await listBackups(addons, a);
  const id = backupId(all.length ? num(all[all.length - 1]!.id) + 1 : 1);
  const tmp = join(dir, `.${id}.partial`);
  try {
    await client('pg_dump', a, ['-d', 'postgres', '-Fc', '--no-acl', '--no-owner', '-f', tmp]);
    await rename(tmp, join(dir, `${id}.dump`));
  } finally {
    await rm(tmp, { force: true });
  }
  return (await backupFile(addons, a, id));
}

/** `pg:backups:restore [bNNN] --confirm APP`: `pg_restore --clean --if-exists --no-owner` over the current data. */
export async function restoreBackup(addons: Addons, app: string, ref: string, id: string | undefined, confirm: string | undefined, out: Output): Promise<BackupView> {
  const a = pg(addons, app, ref);
  checkConfirm(app, confirm, `overwrites the data of ${a.name}`);
  const b = await backupFile(addons, a, id);
  await addons.whenReady(a);
  await client('pg_restore', a, ['-d', 'postgres', '--clean', '--if-exists', '--no-owner', '--no-acl', b.path]);
  return b;
}

/** `pg:reset --confirm APP`: a fresh, empty cluster on the same port and password. */
export async function resetDatabase(addons: Addons, app: string, ref: string, confirm: string | undefined, out: Output): Promise<void> {
  const a = pg(addons, app, ref);
  checkConfirm(app, confirm, `deletes all data of ${a.name}`);
  // Not beside a start in progress (a daemon's restore) so only one server ever runs on the data; a server that
  // cannot start (another major version) is what pg:reset is for, so its failure is no reason to stop here.
  await addons.whenReady(a).catch(() => undefined);
  const server = addons.serverFor(a);
  await server.stop();
  const { version } = await provisionPostgres(a, addons.dir(a.name));
  addons.recordVersion(a, version);
  await server.start();
}
