// Why: opening the database is where file permissions, durability settings and migrations are decided,
// in one place, before any statement is prepared.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations.js';

/** Opens (or creates, mode 0600 in a 0700 folder) the database, sets WAL and friends, runs migrations. */
export function openDatabase(file: string): Database.Database {
  if (file !== ':memory:') prepareFile(file);
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, file);
    return db;
  } catch (err) {
    db.close();
    throw err;
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
