// Issue 18: a database is ready when a command or a restored dyno reaches it after the daemon (re)starts: the
// issue's own sequence with stdin closed, the same across a daemon SIGKILL, a dyno that queries at boot, and all of
// it again on a machine kept busy by two busy loops.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addonPorts, addonProcesses, busyLoops, postmasters } from './addons-helpers.js';
import { alive, copyFixture, minik, until, type Minik } from './harness.js';

interface Dyno { name: string; state: string; restarts: number }
interface AddonView { name: string; state: string; pid: number | null }

describe('a database after a daemon restart', () => {
  let m: Minik;
  let pgt: string;
  let boot: string;
  const select = () => m.run(['pg:psql', '-a', 'pgt', '-c', 'select v from t order by v']);
  const rows = (out: string) => out.split('\n').filter((l) => /^ [a-z]$/.test(l)).map((l) => l.trim());
  const addon = async () => (JSON.parse(String((await m.run(['addons', '--json', '-a', 'pgt'])).stdout)) as AddonView[])[0]!;
  const bootDyno = async () => (JSON.parse(String((await m.run(['ps', '--json', '-a', 'pgboot'])).stdout)) as Dyno[]).find((d) => d.name === 'web.1');
  const bootLog = async () => String((await m.run(['logs', '-a', 'pgboot', '-n', '1500'])).stdout);
  /** The dyno that reads the database at boot is up again, without a crash or a restart. */
  const bootDynoCameBack = async (boots: number) => {
    await until(async () => (await bootDyno())?.state === 'up', 'pgboot web.1 to be up again', 60_000, 200);
    expect((await bootDyno())!.restarts).toBe(0);
    const log = await bootLog();
    expect(log).not.toMatch(/cannot reach the database|crashed/);
    expect(log.match(/app\[web\.1\]: boot: counter at \d+/g)?.length).toBe(boots);
  };
  const killDaemon = async () => {
    const pid = (await m.daemonPid())!;
    process.kill(pid, 'SIGKILL');
    await until(() => !alive(pid), 'the daemon to die');
  };

  beforeAll(async () => {
    m = await minik({ MINIK_ADDON_PORTS: addonPorts() });
    pgt = await copyFixture('node-hello', m.home);
    boot = await copyFixture('node-postgres', m.home);
  });
  afterAll(async () => {
    const home = m.home;
    await m.stop();
    expect(addonProcesses(home), 'add-on processes outlived daemon stop').toEqual([]);
  });

  it("runs the issue's sequence, stdin closed: the select after 'daemon stop' starts the daemon and returns x", async () => {
    const up = await m.run(['up', '.', '--name', 'pgt'], { cwd: pgt });
    expect(up.exitCode, up.stderr).toBe(0);
    const created = await m.run(['addons:create', 'heroku-postgresql', '-a', 'pgt']);
    expect(created.exitCode, created.stderr).toBe(0);
    const insert = await m.run(['pg:psql', '-a', 'pgt', '-c', "create table t(v text); insert into t values ('x')"]);
    expect(insert.exitCode, insert.stderr).toBe(0);
    expect(insert.stdout).toMatch(/INSERT 0 1/);
    expect((await m.run(['daemon', 'stop'])).exitCode).toBe(0);
    expect(postmasters(m.home)).toEqual([]);

    const after = await m.run(['pg:psql', '-a', 'pgt', '-c', 'select v from t']);
    expect(after.stderr).toMatch(/^Starting minik daemon… done$/m);
    expect(after.exitCode, after.stderr).toBe(0);
    expect(after.stdout).toMatch(/^ x\n\(1 row\)$/m);
    expect(after.stderr).not.toMatch(/psql: error/);
  }, 120_000);

  it('restores a dyno that queries its database at boot after a daemon stop, with no crash', async () => {
    expect((await m.run(['apps:create', 'pgboot'])).exitCode).toBe(0);
    const attached = await m.run(['addons:attach', 'postgresql-pgt-1', '-a', 'pgboot']);
    expect(attached.exitCode, attached.stderr).toBe(0);
    const up = await m.run(['up', '.', '--name', 'pgboot'], { cwd: boot });
    expect(up.exitCode, up.stderr).toBe(0);
    await bootDynoCameBack(1);
    expect((await m.run(['daemon', 'stop'])).exitCode).toBe(0);
    expect((await m.run(['daemon', 'start'])).exitCode).toBe(0);
    await bootDynoCameBack(2);
  }, 120_000);

  it('after a daemon SIGKILL between the insert and the select: the data, one server, the dyno back', async () => {
    expect((await m.run(['pg:psql', '-a', 'pgt', '-c', "insert into t values ('y')"])).exitCode).toBe(0);
    const before = await addon();
    await killDaemon();
    expect(postmasters(m.home)).toEqual([before.pid]); // orphaned until the next daemon

    const after = await select();
    expect(after.stderr).toMatch(/^Starting minik daemon… done$/m);
    expect(after.exitCode, after.stderr).toBe(0);
    expect(rows(after.stdout)).toEqual(['x', 'y']);
    const now = await addon();
    expect(now.state).toBe('up');
    expect(now.pid).not.toBe(before.pid);
    expect(alive(before.pid!)).toBe(false);
    expect(postmasters(m.home)).toEqual([now.pid]); // never two servers on the data folder
    await bootDynoCameBack(3);
  }, 120_000);

  it('holds on a machine kept busy by two busy loops: daemon stop, then SIGKILL', async () => {
    const stopLoad = busyLoops(2);
    try {
      expect((await m.run(['pg:psql', '-a', 'pgt', '-c', "insert into t values ('z')"])).exitCode).toBe(0);
      expect((await m.run(['daemon', 'stop'])).exitCode).toBe(0);
      const afterStop = await select();
      expect(afterStop.exitCode, afterStop.stderr).toBe(0);
      expect(rows(afterStop.stdout)).toEqual(['x', 'y', 'z']);
      await bootDynoCameBack(4);

      await killDaemon();
      const afterKill = await select();
      expect(afterKill.exitCode, afterKill.stderr).toBe(0);
      expect(rows(afterKill.stdout)).toEqual(['x', 'y', 'z']);
      expect(postmasters(m.home)).toEqual([(await addon()).pid]);
      await bootDynoCameBack(5);
    } finally {
      stopLoad();
    }
  }, 180_000);
});
