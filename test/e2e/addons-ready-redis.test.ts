// Issue 18, Redis: redis:cli after the daemon (re)starts waits until the server answers PING, stdin closed: a SET
// before, its GET after a daemon stop and after a daemon SIGKILL, with one server on the data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addonPorts, addonProcesses } from './addons-helpers.js';
import { alive, copyFixture, minik, until, type Minik } from './harness.js';

interface AddonView { name: string; state: string; pid: number | null }

describe('a Redis after a daemon restart', () => {
  let m: Minik;
  const cli = (...args: string[]) => m.run(['redis:cli', '-a', 'rdt', '--', ...args]);
  const addon = async () => (JSON.parse(String((await m.run(['addons', '--json', '-a', 'rdt'])).stdout)) as AddonView[])[0]!;

  beforeAll(async () => {
    m = await minik({ MINIK_ADDON_PORTS: addonPorts() });
  });
  afterAll(async () => {
    const home = m.home;
    await m.stop();
    expect(addonProcesses(home), 'add-on processes outlived daemon stop').toEqual([]);
  });

  it('GET after a daemon stop (the command starts the daemon) and after a SIGKILL returns what SET wrote', async () => {
    const dir = await copyFixture('node-hello', m.home);
    expect((await m.run(['up', '.', '--name', 'rdt'], { cwd: dir })).exitCode).toBe(0);
    const created = await m.run(['addons:create', 'heroku-redis', '-a', 'rdt']);
    expect(created.exitCode, created.stderr).toBe(0);
    const set = await cli('SET', 'greeting', 'hello');
    expect(set.exitCode, set.stderr).toBe(0);
    expect(set.stdout.trim()).toBe('OK');

    expect((await m.run(['daemon', 'stop'])).exitCode).toBe(0);
    expect(addonProcesses(m.home)).toEqual([]);
    const afterStop = await cli('GET', 'greeting');
    expect(afterStop.stderr).toMatch(/^Starting minik daemon… done$/m);
    expect(afterStop.exitCode, afterStop.stderr).toBe(0);
    expect(afterStop.stdout.trim()).toBe('hello');

    expect((await cli('SET', 'greeting', 'again')).stdout.trim()).toBe('OK');
    const before = await addon();
    const daemon = (await m.daemonPid())!;
    process.kill(daemon, 'SIGKILL');
    await until(() => !alive(daemon), 'the daemon to die');
    const afterKill = await cli('GET', 'greeting');
    expect(afterKill.stderr).toMatch(/^Starting minik daemon… done$/m);
    expect(afterKill.exitCode, afterKill.stderr).toBe(0);
    expect(afterKill.stdout.trim()).toBe('again');
    const now = await addon();
    expect(now.state).toBe('up');
    expect(now.pid).not.toBe(before.pid);
    expect(alive(before.pid!)).toBe(false);
    expect(addonProcesses(m.home).map((p) => p.pid)).toEqual([now.pid]); // one server on the data folder
  }, 120_000);
});
