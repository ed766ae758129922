// Issue 2: a daemon killed with SIGKILL comes back with exactly the formation, and bad deploys change nothing.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive, copyFixture, FIXTURES, groupAlive, minik, until, type Minik } from './harness.js';

interface DynoView { name: string; state: string; pid: number }

describe('recovery after SIGKILL', () => {
  let m: Minik;
  beforeAll(async () => { m = await minik(); });
  afterAll(async () => { await m.stop(); });

  it('restores the formation with no duplicates and no orphans', async () => {
    expect((await m.run(['up', join(FIXTURES, 'procfile-multi')])).exitCode).toBe(0);
    expect((await m.run(['scale', 'web=2', 'worker=1', '-a', 'procfile-multi'])).exitCode).toBe(0);
    const before = JSON.parse(String((await m.run(['ps', '--json', '-a', 'procfile-multi'])).stdout)) as DynoView[];
    expect(before).toHaveLength(3);
    const pid = await m.daemonPid();
    expect(pid).toBeGreaterThan(0);
    process.kill(pid!, 'SIGKILL');
    await until(() => !alive(pid!), 'the daemon to die');

    const after = await until(async () => {
      const r = await m.run(['ps', '--json', '-a', 'procfile-multi']);
      const dynos = JSON.parse(String(r.stdout)) as DynoView[];
      return dynos.length === 3 && dynos.every((d) => d.state === 'up') ? dynos : null;
    }, 'the formation to come back');
    expect(after.map((d) => d.name).sort()).toEqual(['web.1', 'web.2', 'worker.1']);
    for (const d of before) expect(groupAlive(d.pid), `old ${d.name} (pid ${d.pid}) still alive`).toBe(false);
    expect((await m.get('procfile-multi')).status).toBe(200);
  });
});

describe('a failed deploy leaves the running release serving', () => {
  let m: Minik;
  let dir: string;
  beforeAll(async () => {
    m = await minik();
    dir = await copyFixture('node-hello', m.home);
  });
  afterAll(async () => { await m.stop(); });

  it('refuses a broken Procfile by line and keeps v1 serving', async () => {
    expect((await m.run(['up', dir])).exitCode).toBe(0);
    await writeFile(join(dir, 'Procfile'), 'web: node server.js\nthis line has no colon\n');
    const up = await m.run(['up', dir]);
    expect(up.exitCode).not.toBe(0);
    expect(up.stderr).toMatch(/Procfile line 2/);
    const res = await m.get('node-hello');
    expect(res.status).toBe(200);
    const rel = JSON.parse(String((await m.run(['releases', '--json', '-a', 'node-hello'])).stdout)) as { version: number; current: boolean }[];
    expect(rel.find((r) => r.current)?.version).toBe(1);
  });

  it('refuses a second daemon on the same port with a clear reason', async () => {
    const other = await minik({ MINIK_PORT: String(m.port) });
    try {
      const r = await other.run(['daemon', 'start']);
      expect(r.exitCode).not.toBe(0);
      expect(r.stderr).toMatch(new RegExp(`port ${m.port}.*in use`));
      expect(r.stderr).toMatch(/MINIK_PORT/);
    } finally {
      await other.stop();
    }
  });
});
