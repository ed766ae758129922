// Issue 11: a Postgres add-on keeps an app's data through daemon restarts, redeploys, backups and a daemon SIGKILL.
// Slow (real initdb and npm installs): kept in its own file.
import { execa } from 'execa';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addonPorts, addonProcesses, postmasters } from './addons-helpers.js';
import { alive, copyFixture, minik, until, type Minik } from './harness.js';

interface AddonView { name: string; state: string; pid: number | null; attachments: { app: string; name: string }[] }

describe('a Postgres add-on', () => {
  let m: Minik;
  let dir: string;
  const app = 'node-postgres';
  const count = async () => (await m.get(app)).body.trim();
  const webUp = async () => (JSON.parse(String((await m.run(['ps', '--json', '-a', app])).stdout)) as { state: string }[]).some((d) => d.state === 'up');
  const addons = async () => JSON.parse(String((await m.run(['addons', '--json', '-a', app])).stdout)) as AddonView[];

  beforeAll(async () => {
    m = await minik({ MINIK_ADDON_PORTS: addonPorts() });
    dir = await copyFixture(app, m.home);
  });
  afterAll(async () => {
    const home = m.home;
    await m.stop();
    expect(addonProcesses(home), 'add-on processes outlived daemon stop').toEqual([]);
  });

  it('is created, used by the release phase and the app, and survives a daemon restart and a redeploy', async () => {
    const created = await m.run(['addons:create', 'heroku-postgresql', '-a', app], { cwd: dir });
    expect(created.exitCode, created.stderr).toBe(0);
    expect(created.stderr).toMatch(/Creating heroku-postgresql on ⬢ node-postgres\.\.\. done/);
    expect(created.stdout).toMatch(/^Created postgresql-node-postgres-1 as DATABASE_URL$/m);
    const config = JSON.parse(String((await m.run(['config', '--json', '-a', app])).stdout)) as Record<string, string>;
    expect(config.DATABASE_URL).toMatch(/^postgres:\/\/postgres:[0-9a-f]{48}@127\.0\.0\.1:[0-9]+\/postgres$/);
    expect(config.HEROKU_POSTGRESQL_AQUA_URL).toBe(config.DATABASE_URL);

    const up = await m.run(['up', dir]);
    expect(up.exitCode, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/counter table ready/);
    expect(await count()).toBe('count: 1');
    expect(await count()).toBe('count: 2');

    expect((await m.run(['daemon', 'stop'])).exitCode).toBe(0);
    expect(addonProcesses(m.home)).toEqual([]);
    expect((await m.run(['daemon', 'start'])).exitCode).toBe(0);
    await until(webUp, 'web.1 to be up again', 60_000, 200);
    expect(await count()).toBe('count: 3');
    expect((await m.run(['up', dir])).exitCode).toBe(0);
    expect(await count()).toBe('count: 4');

    const ps = await m.run(['ps', '-a', app]);
    expect(ps.stdout).toMatch(/=== add-ons\n[\s\S]*postgresql-node-postgres-1\s+up/);
  }, 240_000); // two npm installs, initdb and two daemon starts on a loaded 2-core machine

  it('restores a backup: a change made after it is gone', async () => {
    const cap = await m.run(['pg:backups:capture', '-a', app]);
    expect(cap.exitCode, cap.stderr).toBe(0);
    expect(cap.stdout).toMatch(/Backup b001 of postgresql-node-postgres-1/);
    const at = (await m.run(['pg:psql', '-a', app, '-c', 'SELECT n FROM counter'])).stdout;
    const saved = Number(/\b(\d+)\s*\n\(1 row\)/.exec(at)?.[1]);
    await count();
    const refused = await m.run(['pg:backups:restore', 'b001', '-a', app]);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toMatch(/To proceed, re-run this command with --confirm node-postgres/);
    const restored = await m.run(['pg:backups:restore', 'b001', '--confirm', app, '-a', app]);
    expect(restored.exitCode, restored.stderr).toBe(0);
    const now = await m.run(['pg:psql', '-a', app, '-c', 'SELECT n FROM counter']);
    expect(Number(/\b(\d+)\s*\n\(1 row\)/.exec(now.stdout)?.[1])).toBe(saved);
    const file = join(m.home, 'dl.dump');
    expect((await m.run(['pg:backups:download', '-o', file, '-a', app])).exitCode).toBe(0);
    const listed = await execa('pg_restore', ['--list', file]);
    expect(listed.stdout).toMatch(/TABLE DATA public counter/);
  });

  it('serves 20 concurrent clients', async () => {
    const r = await m.run(['run', '-a', app, '--', 'node', 'concurrent.js', '20']);
    expect(r.stdout + r.stderr).toMatch(/20\/20 clients ok/);
    expect(r.exitCode).toBe(0);
  });

  it('after a daemon SIGKILL, one server runs on the same data and the old one is gone', async () => {
    const before = (await addons())[0]!;
    expect(before.state).toBe('up');
    const daemon = (await m.daemonPid())!;
    process.kill(daemon, 'SIGKILL');
    await until(() => !alive(daemon), 'the daemon to die');
    expect(postmasters(m.home)).toEqual([before.pid]); // still running, orphaned, until the next daemon
    const after = await until(async () => {
      const a = (await addons())[0];
      return a?.state === 'up' && a.pid !== before.pid ? a : null;
    }, 'the add-on to be up under the new daemon', 60_000, 200);
    expect(alive(before.pid!)).toBe(false);
    expect(postmasters(m.home)).toEqual([after.pid]);
    await until(webUp, 'web.1 to be up again', 60_000, 200);
    expect(await count()).toMatch(/^count: \d+$/);
  });

  it('pg:reset empties it; a data folder of another major version is refused with the upgrade steps', async () => {
    const reset = await m.run(['pg:reset', '--confirm', app, '-a', app]);
    expect(reset.exitCode, reset.stderr).toBe(0);
    const tables = await m.run(['pg:psql', '-a', app, '-c', "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"]);
    expect(tables.stdout).toMatch(/\b0\s*\n\(1 row\)/);

    expect((await m.run(['daemon', 'stop'])).exitCode).toBe(0);
    const versionFile = join(m.home, 'addons', 'postgresql-node-postgres-1', 'data', 'PG_VERSION');
    const real = await readFile(versionFile, 'utf8');
    await writeFile(versionFile, '14\n');
    try {
      expect((await m.run(['daemon', 'start'])).exitCode).toBe(0);
      const logs = await until(async () => {
        const r = await m.run(['logs', '--ps', 'postgres', '-a', app, '-n', '20']);
        return /was made by PostgreSQL 14, but this minik runs PostgreSQL 15/.test(r.stdout) ? r.stdout : null;
      }, 'the refusal in the logs');
      expect(logs).toMatch(/minik will not start it/);
      expect(postmasters(m.home)).toEqual([]);
      expect((await addons())[0]?.state).toBe('down');
    } finally {
      await writeFile(versionFile, real);
    }
  });
});
