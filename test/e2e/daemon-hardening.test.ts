// Issue 8 items 20-22: the daemon survives errors nobody handled, keeps its last log lines on stop, and
// refuses a damaged database or a MINIK_HOME another user could tamper with, saying how to recover.
import Database from 'better-sqlite3';
import { execa } from 'execa';
import { chmod, chown, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, minik, until, type Minik } from './harness.js';

const SERVER = `require('http').createServer((q, s) => s.end(process.env.DYNO)).listen(process.env.PORT)`;

async function procfileApp(m: Minik, name: string): Promise<string> {
  const dir = join(m.home, 'src', name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'Procfile'), `web: node -e "${SERVER}"\n`);
  return dir;
}

describe('the daemon under errors', () => {
  let m: Minik;
  beforeAll(async () => { m = await minik(); });
  afterAll(async () => { await m.stop(); });

  it('logs a store error thrown in a supervisor callback and keeps serving', async () => {
    expect((await m.run(['up', await procfileApp(m, 'steady')])).exitCode).toBe(0);
    expect((await m.run(['up', await procfileApp(m, 'bystander')])).exitCode).toBe(0);
    const pid = await m.daemonPid();
    const [dyno] = JSON.parse(String((await m.run(['ps', '--json', '-a', 'steady'])).stdout)) as { pid: number }[];
    // Hold SQLite's write lock longer than the daemon's busy_timeout (5 s), then crash the dyno: recording its
    // exit fails with SQLITE_BUSY inside the supervisor's exit callback.
    const db = new Database(join(m.home, 'minik.db'));
    try {
      db.exec('BEGIN IMMEDIATE');
      process.kill(-dyno!.pid, 'SIGKILL');
      await until(async () => (await readFile(join(m.home, 'daemon.log'), 'utf8')).includes('kept serving'), 'the error in daemon.log', 30_000, 200);
    } finally {
      if (db.inTransaction) db.exec('ROLLBACK');
      db.close();
    }
    const log = await readFile(join(m.home, 'daemon.log'), 'utf8');
    expect(log).toMatch(/minikd: (uncaught exception|unhandled promise rejection) \(SQLITE_BUSY\), kept serving: SqliteError: database is locked\n\s+at /);
    expect(await m.daemonPid()).toBe(pid);
    expect(String((await m.run(['apps'])).stdout)).toContain('bystander');
    expect(await m.get('bystander')).toMatchObject({ status: 200, body: 'web.1' });
  });

  it('writes the dynos\' last log lines to the file before it stops', async () => {
    expect((await m.run(['up', await procfileApp(m, 'last-words')])).exitCode).toBe(0);
    expect((await m.run(['daemon', 'stop'])).exitCode).toBe(0);
    const file = await readFile(join(m.home, 'logs', 'last-words.log'), 'utf8');
    const tail = file.trimEnd().split('\n').slice(-3).join('\n');
    expect(tail).toMatch(/minik\[web\.1\]: Stopping all processes with SIGTERM\n.*minik\[web\.1\]: Process exited with status \d+\n.*State changed from stopping to down$/);
  });
});

describe('a damaged database', () => {
  let m: Minik;
  beforeAll(async () => { m = await minik(); });
  afterAll(async () => { await m.stop(); });

  it('refuses an empty minik.db where apps were deployed, says how to recover, then starts afresh', async () => {
    await mkdir(join(m.home, 'slugs', 'orphan'), { recursive: true });
    await writeFile(join(m.home, 'minik.db'), '');
    const r = await m.run(['apps']);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toMatch(/minik: database .*minik\.db is empty although 1 app\(s\) were deployed here \(orphan\); it was moved aside to minik\.db\.corrupt-\d{8}T\d{6}Z/);
    expect(r.stderr).toMatch(/hint: copy a backup of minik\.db to .*; or start afresh .*'minik up'/);
    expect((await readdir(m.home)).filter((f) => f.startsWith('minik.db.corrupt-'))).toHaveLength(1);
    expect((await m.run(['apps'])).exitCode).toBe(0);
  });
});

describe('an unsafe MINIK_HOME', () => {
  let m: Minik;
  beforeAll(async () => { m = await minik(); });
  afterAll(async () => { await chmod(m.home, 0o700); await m.stop(); });

  it('is refused by the CLI and by the daemon when others may write to it', async () => {
    await chmod(m.home, 0o777);
    const r = await m.run(['apps']);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain(`minik: MINIK_HOME ${m.home} can be written by any user (mode 777)`);
    expect(r.stderr).toContain(`hint: chmod 700 ${m.home}`);
    await chmod(m.home, 0o770);
    const daemon = await execa(process.execPath, [join(ROOT, 'dist/daemon/main.js')], { env: m.env, reject: false, timeout: 30_000 });
    expect(daemon.exitCode).toBe(2);
    expect(daemon.stderr).toContain(`minikd: MINIK_HOME ${m.home} can be written by its group (mode 770)`);
    await chmod(m.home, 0o700);
    expect((await m.run(['apps'])).exitCode).toBe(0);
  });

  it.runIf(process.getuid?.() === 0)('is refused when another user owns it', async () => {
    await m.run(['daemon', 'stop']);
    await chown(m.home, 4242, 4242);
    try {
      const r = await m.run(['apps']);
      expect(r.exitCode).not.toBe(0);
      expect(r.stderr).toContain(`minik: MINIK_HOME ${m.home} belongs to another user (uid 4242, you are uid 0)`);
    } finally {
      await chown(m.home, 0, 0);
    }
  });
});
