import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations, Store } from '../../../src/store/index.js';
import { caught, dyno, tempStore, type TempStore } from './helpers.js';

let t: TempStore;
beforeEach(() => {
  t = tempStore();
  t.store.createApp('app', '/src/app');
  t.store.createApp('zoo', '/src/zoo');
});
afterEach(() => t.cleanup());

describe('dyno records', () => {
  it('inserts, then replaces by app, name and release', () => {
    const first = dyno('app', 'web.1', { pid: 4242, pgid: 4242, startTime: 99, port: 5001, state: 'starting' });
    t.store.upsertDyno(first);
    expect(t.store.listDynos('app')).toEqual([first]);

    const restarted = { ...first, pid: 5151, pgid: 5151, startTime: 120, state: 'up' as const, restarts: 1,
      since: '2026-02-02T10:00:00.000Z', command: 'npm start' };
    t.store.upsertDyno(restarted);
    expect(t.store.listDynos('app')).toEqual([restarted]);
  });

  it('keeps an old and a new release of the same dyno side by side (preboot), deleting each by release', () => {
    const old = dyno('app', 'web.1', { pid: 100, pgid: 100, release: 1 });
    const next = dyno('app', 'web.1', { pid: 200, pgid: 200, release: 2 });
    t.store.upsertDyno(old);
    t.store.upsertDyno(next);
    expect(t.store.listDynos('app').map((d) => d.pid).sort()).toEqual([100, 200]);
    t.store.deleteDyno('app', 'web.1', 1);
    expect(t.store.listDynos('app')).toEqual([next]);
  });

  it('lists by app, type and numeric index', () => {
    for (const name of ['web.10', 'worker.1', 'web.2', 'web.1', 'run.1']) t.store.upsertDyno(dyno('app', name));
    t.store.upsertDyno(dyno('zoo', 'web.1'));
    expect(t.store.listDynos('app').map((d) => d.name)).toEqual(['run.1', 'web.1', 'web.2', 'web.10', 'worker.1']);
    expect(t.store.listDynos().map((d) => `${d.app}/${d.name}`)).toEqual([
      'app/run.1', 'app/web.1', 'app/web.2', 'app/web.10', 'app/worker.1', 'zoo/web.1',
    ]);
    expect(t.store.listDynos('nobody')).toEqual([]);
  });

  it('deletes one record; deleting a missing one is a no-op', () => {
    t.store.upsertDyno(dyno('app', 'web.1'));
    t.store.upsertDyno(dyno('app', 'web.2'));
    t.store.upsertDyno(dyno('zoo', 'web.1'));
    t.store.deleteDyno('app', 'web.1');
    t.store.deleteDyno('app', 'web.9');
    expect(t.store.listDynos().map((d) => `${d.app}/${d.name}`)).toEqual(['app/web.2', 'zoo/web.1']);
  });

  it('with a release, deletes only a record of that release', () => {
    t.store.upsertDyno(dyno('app', 'web.1', { release: 1, pid: 10 }));
    t.store.upsertDyno(dyno('app', 'web.1', { release: 2, pid: 20 })); // the new web.1 replaced the old
    t.store.deleteDyno('app', 'web.1', 1); // the old one going down
    expect(t.store.listDynos('app').map((d) => [d.name, d.release, d.pid])).toEqual([['web.1', 2, 20]]);
    t.store.deleteDyno('app', 'web.1', 2);
    expect(t.store.listDynos('app')).toEqual([]);
  });

  it('survives a restart, so orphans can be found', () => {
    const rec = dyno('app', 'worker.1', { pid: 777, pgid: 777, startTime: 31337, port: null });
    t.store.upsertDyno(rec);
    t.reopen();
    expect(t.store.listDynos()).toEqual([rec]);
  });

  it('refuses a record for an unknown app or with an unknown state', () => {
    expect(caught(() => t.store.upsertDyno(dyno('ghost', 'web.1'))).code).toBe('not_found');
    expect(() => t.store.upsertDyno(dyno('app', 'web.1', { state: 'sleeping' as 'up' }))).toThrow(/CHECK constraint/);
    expect(t.store.listDynos()).toEqual([]);
  });
});

describe('dyno ownership columns', () => {
  it('keep the boot id and marker of each record', () => {
    const rec = dyno('app', 'web.1', { bootId: 'abc123', marker: 'h:abc123:dyno:app:web.1:n0' });
    t.store.upsertDyno(rec);
    expect(t.store.listDynos('app')).toEqual([rec]);
    t.store.upsertDyno({ ...rec, bootId: 'def456', marker: 'h:def456:dyno:app:web.1:n1' });
    expect(t.store.listDynos('app')[0]).toMatchObject({ bootId: 'def456', marker: 'h:def456:dyno:app:web.1:n1' });
  });

  it("are added to a database of the first schema, whose records get '' and so prove nothing", () => {
    t.store.close();
    const old = `${t.file}.v1`;
    const raw = new Database(old);
    raw.exec(migrations[0]!);
    raw.pragma('user_version = 1');
    raw.prepare("INSERT INTO apps (name, source_dir, created_at) VALUES ('app', '/src', 'now')").run();
    raw.prepare("INSERT INTO dynos (app, name, type, release, pid, pgid, start_time, port, state, command, since) VALUES ('app', 'web.1', 'web', 1, 42, 42, 7, NULL, 'up', 'x', 'now')").run();
    raw.close();
    const store = new Store(old);
    try {
      expect(store.listDynos('app')).toMatchObject([{ pid: 42, bootId: '', marker: '' }]);
    } finally {
      store.close();
    }
    t.store = new Store(t.file);
  });
});
