// Why: opening the database is where file permissions, durability settings and migrations are decided,
// in one place, before any statement is prepared. It is also where a damaged file is caught: a daemon that
// started on an empty or corrupt database would show no apps and silently orphan every slug and dyno.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MinikError } from '../core/errors.js';
import { migrate } from './migrations.js';

/** SQLite's answers for a file that is not a database or whose pages are damaged. */
const CORRUPT_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);

/**
 * Opens (or creates, mode 0600 in a 0700 folder) the database, sets WAL and friends, runs migrations. An empty
 * file where apps were deployed, or a corrupt one, is moved aside and reported instead (see damagedDatabase).
 */
export function openDatabase(file: string): Database.Database {
  if (file !== ':memory:') {
    refuseTruncated(file);
    prepareFile(file);
  }
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (err) {
    throw asDamaged(err, file);
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Why: damage in a page no start-up query reads would otherwise surface later, mid-deploy. The file holds
    // only metadata (a few hundred KB), so the check costs milliseconds.
    const check = db.pragma('quick_check(1)', { simple: true });
    if (check !== 'ok') {
      const problem = String(check).split('\n').filter((l) => !l.startsWith('***')).join(' '); // drop "*** in database main ***"
      throw Object.assign(new Error(problem), { code: 'SQLITE_CORRUPT' });
    }
    migrate(db, file);
    return db;
  } catch (err) {
    db.close();
    throw asDamaged(err, file);
  }
}

/** Creates the folder and the file before SQLite does, so config vars are never world-readable. */
function prepareFile(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  // SQLite gives -wal and -shm the main file's mode when it creates them; tighten any left by older runs.
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    if (fs.existsSync(f)) fs.chmodSync(f, 0o600);
  }
}

/**
 * Why: a 0-byte database is what a fresh install looks like, and also what a truncated file (disk full, a bad
 * copy) looks like. Apps' slugs beside it tell the two apart: then it is data loss, not a first start.
 */
function refuseTruncated(file: string): void {
  const size = (f: string) => { try { return fs.statSync(f).size; } catch { return -1; } };
  if (size(file) !== 0 || size(`${file}-wal`) > 0) return; // missing, or holds data (possibly only in the WAL)
  const apps = deployedApps(path.join(path.dirname(file), 'slugs'));
  if (apps.length === 0) return;
  const aside = moveAside(file);
  throw new MinikError(
    `database ${file} is empty although ${apps.length} app(s) were deployed here (${apps.slice(0, 3).join(', ')}${apps.length > 3 ? ', …' : ''}); it was moved aside to ${path.basename(aside)}`,
    { hint: recoveryHint(file, aside, false), code: 'database_damaged', exitCode: 2 },
  );
}

function deployedApps(slugs: string): string[] {
  try {
    return fs.readdirSync(slugs, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  } catch {
    return [];
  }
}

/** A corrupt-database error becomes a MinikError naming the file kept aside; any other error passes through. */
function asDamaged(err: unknown, file: string): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (file === ':memory:' || typeof code !== 'string' || !CORRUPT_CODES.has(code)) return err;
  const aside = moveAside(file);
  return new MinikError(
    `database ${file} is corrupt (${(err as Error).message}); it was moved aside to ${path.basename(aside)}`,
    { hint: recoveryHint(file, aside, true), code: 'database_damaged', exitCode: 2 },
  );
}

function recoveryHint(file: string, aside: string, salvage: boolean): string {
  const restore = salvage
    ? `salvage it with the sqlite3 tool: sqlite3 ${aside} .recover | sqlite3 ${file}`
    : `copy a backup of minik.db to ${file}`;
  return `${restore}; or start afresh (the next command starts an empty daemon) and redeploy each app with 'minik up'`;
}

/** Renames the database and its -wal/-shm to `<file>.corrupt-<UTC time>*`; returns the new main file's path. */
function moveAside(file: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const aside = `${file}.corrupt-${stamp}`;
  for (const suffix of ['', '-wal', '-shm']) {
    try {
      fs.renameSync(`${file}${suffix}`, `${aside}${suffix}`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return aside;
}
