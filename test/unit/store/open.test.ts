import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MinikError } from '../../../src/core/errors.js';
import { Store, migrations } from '../../../src/store/index.js';
import { tempStore, type TempStore } from './helpers.js';

let t: TempStore;
beforeEach(() => {
  t = tempStore();
});
afterEach(() => {
  vi.restoreAllMocks();
  t.cleanup();
});

const mode = (f: string) => fs.statSync(f).mode & 0o777;

describe('opening the database', () => {
  it('creates the file with mode 0600, and the WAL file too', () => {
    t.store.createApp('web-app', '/src/web-app'); // a write makes SQLite create -wal
    expect(mode(t.file)).toBe(0o600);
    expect(fs.existsSync(`${t.file}-wal`)).toBe(true);
    expect(mode(`${t.file}-wal`)).toBe(0o600);
  });

  it('creates a missing folder with mode 0700', () => {
    const file = path.join(t.dir, 'home', 'nested', 'minik.db');
    const s = new Store(file);
    s.close();
    expect(mode(path.join(t.dir, 'home', 'nested'))).toBe(0o700);
    expect(mode(file)).toBe(0o600);
  });

  it('tightens an existing world-readable file to 0600', () => {
    t.store.close();
    fs.chmodSync(t.file, 0o644);
    t.store = new Store(t.file);
    expect(mode(t.file)).toBe(0o600);
  });

  it('uses WAL and records the schema version', () => {
    t.store.close();
    const raw = new Database(t.file, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(raw.pragma('user_version', { simple: true })).toBe(migrations.length);
      const tables = raw
        .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .all()
        .map((r) => r.name);
      expect(tables).toEqual(['addon_attachments', 'addons', 'app_buildpacks', 'apps', 'autoscale', 'config_vars', 'domains', 'drains', 'dynos', 'formation', 'labs', 'metrics_app', 'metrics_dyno', 'releases']);
    } finally {
      raw.close();
    }
  });

  it('keeps every app across close and reopen, and migrations run only once', () => {
    t.store.createApp('alpha', '/src/alpha');
    t.store.setConfig('alpha', { SECRET: 's3cr3t' }, []);
    t.store.createRelease({
      app: 'alpha', slug: '/slugs/a1', config: { SECRET: 's3cr3t' }, dotenv: {},
      processTypes: { web: 'npm start' }, buildpack: 'nodejs', description: 'Deploy', status: 'succeeded',
    });
    t.store.setCurrentRelease('alpha', 1);
    t.reopen();
    t.reopen(); // a second reopen must not re-run CREATE TABLE (it would throw)
    expect(t.store.requireApp('alpha')).toMatchObject({ name: 'alpha', sourceDir: '/src/alpha', currentRelease: 1 });
    expect(t.store.getConfig('alpha')).toEqual({ SECRET: 's3cr3t' });
    expect(t.store.createRelease({
      app: 'alpha', slug: null, config: {}, dotenv: {}, processTypes: {}, buildpack: 'nodejs',
      description: 'Deploy', status: 'pending',
    }).version).toBe(2);
  });

  it('refuses a database written by a newer minik', () => {
    t.store.close();
    const raw = new Database(t.file);
    raw.pragma(`user_version = ${migrations.length + 1}`);
    raw.close();
    let err: unknown;
    try {
      t.store = new Store(t.file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MinikError);
    expect((err as MinikError).message).toBe(
      `database ${t.file} has schema version ${migrations.length + 1}, but this minik only knows up to ${migrations.length}`,
    );
  });

  it('prepares statements once, not per call', () => {
    const prepare = vi.spyOn(Database.prototype, 'prepare');
    t.store.createApp('beta', '/src/beta');
    t.store.setConfig('beta', { A: '1' }, ['B']);
    t.store.setFormation('beta', { web: 1 });
    t.store.listApps();
    t.store.listDynos();
    expect(prepare).not.toHaveBeenCalled();
  });

  it('rolls back everything done inside a failed transaction', () => {
    t.store.createApp('gamma', '/src/gamma');
    expect(() =>
      t.store.transaction(() => {
        t.store.setConfig('gamma', { A: '1' }, []);
        t.store.setFormation('gamma', { web: 2 });
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(t.store.getConfig('gamma')).toEqual({});
    expect(t.store.getFormation('gamma')).toEqual({});
    expect(t.store.transaction(() => 42)).toBe(42);
  });

  it('works in memory, for other modules\' tests', () => {
    const s = new Store(':memory:');
    s.createApp('mem', os.tmpdir());
    expect(s.listApps().map((a) => a.name)).toEqual(['mem']);
    s.close();
  });

  it('opens an empty file as a fresh database when no app was deployed', () => {
    t.store.close();
    fs.rmSync(t.file);
    fs.writeFileSync(t.file, '');
    t.store = new Store(t.file);
    expect(t.store.listApps()).toEqual([]);
  });
});

describe('a damaged database', () => {
  const openError = (file: string): MinikError => {
    try {
      new Store(file).close();
    } catch (err) {
      expect(err).toBeInstanceOf(MinikError);
      return err as MinikError;
    }
    throw new Error('the store opened');
  };
  const aside = () => fs.readdirSync(t.dir).filter((f) => f.startsWith('minik.db.corrupt-'));

  it('refuses an empty file when slugs show apps were deployed, and moves it aside', () => {
    t.store.createApp('alpha', '/src/alpha');
    t.store.close();
    fs.mkdirSync(path.join(t.dir, 'slugs', 'alpha'), { recursive: true });
    for (const f of [t.file, `${t.file}-wal`, `${t.file}-shm`]) fs.rmSync(f, { force: true });
    fs.writeFileSync(t.file, '');
    const err = openError(t.file);
    expect(err.message).toMatch(new RegExp(`^database ${t.file} is empty although 1 app\\(s\\) were deployed here \\(alpha\\); it was moved aside to minik\\.db\\.corrupt-\\d{8}T\\d{6}Z$`));
    expect(err.hint).toContain("redeploy each app with 'minik up'");
    expect(err.exitCode).toBe(2);
    expect(aside()).toHaveLength(1);
    expect(fs.existsSync(t.file)).toBe(false);
    // The next start is a fresh database: the user was told once, and the bad file is kept.
    t.store = new Store(t.file);
    expect(t.store.listApps()).toEqual([]);
  });

  it('refuses a file that is not a database, keeps it aside byte for byte, and names how to salvage it', () => {
    t.store.close();
    fs.rmSync(`${t.file}-wal`, { force: true });
    fs.rmSync(`${t.file}-shm`, { force: true });
    const junk = Buffer.from('this is not SQLite, but it is somebody\'s data\n'.repeat(200));
    fs.writeFileSync(t.file, junk);
    const err = openError(t.file);
    expect(err.message).toMatch(/^database .*minik\.db is corrupt \(file is not a database\); it was moved aside to minik\.db\.corrupt-/);
    expect(err.hint).toMatch(/^salvage it with the sqlite3 tool: sqlite3 .*minik\.db\.corrupt-\S+ \.recover \| sqlite3 .*minik\.db;/);
    expect(fs.readFileSync(path.join(t.dir, aside()[0]!))).toEqual(junk);
  });

  it('refuses a database with a damaged page (quick_check) before serving from it', () => {
    for (let i = 0; i < 200; i++) t.store.createApp(`app-${i}`, `/src/app-${i}-${'x'.repeat(200)}`);
    t.store.close(); // checkpoints the WAL into the main file
    const bytes = fs.readFileSync(t.file);
    const pageSize = bytes.readUInt16BE(16);
    expect(bytes.length).toBeGreaterThan(4 * pageSize);
    bytes.fill(0xa5, 2 * pageSize + 8, 3 * pageSize); // scribble over one page, keeping the header valid
    fs.writeFileSync(t.file, bytes);
    const err = openError(t.file);
    expect(err.code).toBe('database_damaged');
    expect(err.message).toMatch(/is corrupt \(.+\); it was moved aside to minik\.db\.corrupt-/);
    expect(aside()).toHaveLength(1);
  });
});
