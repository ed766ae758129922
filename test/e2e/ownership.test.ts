// Issue 8 items 6 and 7: a dyno whose command daemonizes a child (setsid in a subshell that exits, a
// double fork) leaves nothing behind on stop, scale down, or a daemon SIGKILLed and started again; and
// neither does a build step (item 3) of a daemon SIGKILLed mid-build.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markedProcesses, ownedBy, parseMarker } from '../../src/supervisor/owner.js';
import { alive, minik, until, type Minik } from './harness.js';

const APP = 'daemonizer';

describe('dynos that daemonize a child', () => {
  let m: Minik;
  let dir: string;
  /** Live processes carrying this home's dyno markers, by dyno name. */
  const owned = (name?: string) => markedProcesses(ownedBy(m.home, ['dyno'], APP)).filter((p) => name === undefined || parseMarker(p.marker)?.name === name);

  beforeAll(async () => {
    m = await minik();
    dir = await mkdtemp(join(tmpdir(), 'minik-daemonizer-'));
    await writeFile(join(dir, 'server.js'), `require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT, '127.0.0.1');\n`);
    await writeFile(join(dir, 'Procfile'), [
      'web: (setsid sleep 1000 &); exec node server.js',
      'worker: (setsid sleep 1000 &); exec sleep 1000',
      '',
    ].join('\n'));
    expect((await m.run(['up', dir, '--name', APP])).exitCode).toBe(0);
    expect((await m.run(['scale', 'worker=1', '-a', APP])).exitCode).toBe(0);
  });

  afterAll(async () => {
    await m.stop();
    const left = markedProcesses(ownedBy(m.home, ['dyno', 'build']));
    for (const p of left) process.kill(p.pid, 'SIGKILL');
    expect(left.map((p) => p.marker)).toEqual([]);
  });

  it('stop leaves nothing of the dyno', async () => {
    const before = await until(() => (owned('worker.1').length >= 2 ? owned('worker.1') : null), 'worker.1 and its setsid child');
    expect((await m.run(['stop', 'worker.1', '-a', APP])).exitCode).toBe(0);
    expect(owned('worker.1')).toEqual([]);
    for (const p of before) expect(alive(p.pid), `pid ${p.pid}`).toBe(false);
  });

  it('scale down leaves nothing of the dyno', async () => {
    const before = await until(() => (owned('web.1').length >= 2 ? owned('web.1') : null), 'web.1 and its setsid child');
    expect((await m.run(['scale', 'web=0', '-a', APP])).exitCode).toBe(0);
    expect(owned('web.1')).toEqual([]);
    for (const p of before) expect(alive(p.pid), `pid ${p.pid}`).toBe(false);
  });

  it('a daemon SIGKILLed and started again stops what the old one left, children included', async () => {
    expect((await m.run(['scale', 'web=1', 'worker=1', '-a', APP])).exitCode).toBe(0);
    const before = await until(() => (owned().length >= 4 ? owned() : null), 'both dynos and their setsid children');
    const pid = await m.daemonPid();
    process.kill(pid!, 'SIGKILL');
    await until(() => !alive(pid!), 'the daemon to die');
    await until(async () => {
      const r = await m.run(['ps', '--json', '-a', APP]);
      const dynos = JSON.parse(String(r.stdout)) as { state: string }[];
      return dynos.length === 2 && dynos.every((d) => d.state === 'up');
    }, 'the formation to come back');
    for (const p of before) expect(alive(p.pid), `old pid ${p.pid} (${p.marker})`).toBe(false);
    const oldMarkers = new Set(before.map((p) => p.marker));
    expect(owned().filter((p) => oldMarkers.has(p.marker))).toEqual([]);
    expect((await m.get(APP)).status).toBe(200);
  });
});

describe('a daemon SIGKILLed mid-build', () => {
  let m: Minik;
  beforeAll(async () => { m = await minik(); });
  afterAll(async () => {
    await m.stop();
    for (const p of markedProcesses(ownedBy(m.home, ['build']))) process.kill(p.pid, 'SIGKILL'); // only if the test failed
  });

  it('has the build steps it left (and their daemonized children) stopped by the next daemon', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'minik-slowbuild-'));
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'slowbuild', version: '1.0.0', scripts: { build: '(setsid sleep 1000 &); sleep 1000', start: 'node -e 1' } }));
    const up = m.run(['up', dir, '--name', 'slowbuild']);
    const steps = () => markedProcesses(ownedBy(m.home, ['build'], 'slowbuild'));
    const before = await until(() => (steps().length >= 4 ? steps() : null), 'npm, the build script and its setsid child', 60_000);
    const pid = await m.daemonPid();
    process.kill(pid!, 'SIGKILL');
    await up;
    expect(steps().length).toBeGreaterThanOrEqual(3); // nothing stopped them yet
    expect((await m.run(['apps', '--json'])).exitCode).toBe(0); // starts the daemon again
    await until(() => steps().length === 0, 'the old build steps to be stopped');
    for (const p of before) expect(alive(p.pid), `pid ${p.pid}`).toBe(false);
  });

  it("'minik daemon stop' mid-build stops the build's steps too", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'minik-slowbuild-'));
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'slowbuild2', version: '1.0.0', scripts: { build: '(setsid sleep 1000 &); sleep 1000' } }));
    const up = m.run(['up', dir, '--name', 'slowbuild2']);
    const steps = () => markedProcesses(ownedBy(m.home, ['build'], 'slowbuild2'));
    const before = await until(() => (steps().length >= 4 ? steps() : null), 'npm, the build script and its setsid child', 60_000);
    expect((await m.run(['daemon', 'stop'])).exitCode).toBe(0);
    await up;
    expect(steps()).toEqual([]);
    for (const p of before) expect(alive(p.pid), `pid ${p.pid}`).toBe(false);
  });
});
