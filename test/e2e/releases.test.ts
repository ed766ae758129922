// Issue 3: config vars and releases, rollback, the release phase, boot timeout, one-off dynos.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixture, minik, type Minik } from './harness.js';

interface ReleaseView { version: number; description: string; status: string; current: boolean }

describe('config vars, releases and rollback', () => {
  let m: Minik;
  let dir: string;
  const releases = async () => JSON.parse(String((await m.run(['releases', '--json', '-a', 'node-hello'])).stdout)) as ReleaseView[];
  beforeAll(async () => {
    m = await minik({ MINIK_BOOT_TIMEOUT: '3' });
    dir = await copyFixture('node-hello', m.home);
    const up = await m.run(['up', dir]);
    expect(up.exitCode, `${up.stdout}\n${up.stderr}`).toBe(0);
  });
  afterAll(async () => { await m.stop(); });

  it('config:set reaches the running dyno and cuts one release', async () => {
    const before = (await releases()).length;
    const r = await m.run(['config:set', 'GREETING=hola', '-a', 'node-hello']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect((await m.get('node-hello', '/env/GREETING')).body).toBe('hola');
    const after = await releases();
    expect(after).toHaveLength(before + 1);
    expect(after[0]).toMatchObject({ description: 'Set GREETING config var', status: 'succeeded', current: true });
  });

  it('round-trips values with spaces, quotes, = and newlines byte for byte', async () => {
    const value = `a "quoted" it's = b\nsecond line\ttab ünï`;
    expect((await m.run(['config:set', `TRICKY=${value}`, '-a', 'node-hello'])).exitCode).toBe(0);
    expect((await m.get('node-hello', '/env/TRICKY')).body).toBe(value);
    const json = JSON.parse(String((await m.run(['config', '--json', '-a', 'node-hello'])).stdout)) as Record<string, string>;
    expect(json.TRICKY).toBe(value);
    expect(String((await m.run(['config:get', 'TRICKY', '-a', 'node-hello'])).stdout)).toBe(value);
  });

  it('rollback restores the old config as a new release', async () => {
    const target = (await releases()).find((r) => r.description === 'Set GREETING config var')!;
    expect((await m.run(['config:set', 'GREETING=bonjour', '-a', 'node-hello'])).exitCode).toBe(0);
    expect((await m.get('node-hello', '/env/GREETING')).body).toBe('bonjour');
    const r = await m.run(['rollback', `v${target.version}`, '-a', 'node-hello']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect((await m.get('node-hello', '/env/GREETING')).body).toBe('hola');
    expect((await releases())[0]).toMatchObject({ description: `Rollback to v${target.version}`, current: true });
  });

  it('a failing release phase fails the deploy and leaves the old release serving', async () => {
    await writeFile(join(dir, 'Procfile'), "web: node server.js\nrelease: sh -c 'echo migrating; exit 3'\n");
    const up = await m.run(['up', dir]);
    expect(up.exitCode).not.toBe(0);
    expect(up.stdout).toContain('migrating');
    expect(up.stderr).toMatch(/release phase failed.*status 3/);
    expect((await m.get('node-hello', '/env/GREETING')).body).toBe('hola');
    expect((await releases())[0]).toMatchObject({ status: 'failed', current: false });
  });

  it('a web dyno that never binds its port fails the deploy after the boot timeout (R10)', async () => {
    await writeFile(join(dir, 'Procfile'), 'web: sleep 600\n');
    const up = await m.run(['up', dir]);
    expect(up.exitCode).not.toBe(0);
    expect(up.stderr).toMatch(/web\.1 .* did not bind to port \d+ within 3 seconds/);
    expect((await m.get('node-hello')).status).toBe(200);
    const logs = String((await m.run(['logs', '-a', 'node-hello', '-n', '200'])).stdout);
    expect(logs).toContain('Error R10 (Boot timeout)');
  });

  it('minik run passes the exit code and the release environment through', async () => {
    const code = await m.run(['run', '-a', 'node-hello', '--', 'sh', '-c', 'exit 7']);
    expect(code.exitCode).toBe(7);
    const env = await m.run(['run', '-a', 'node-hello', '--', 'printenv', 'GREETING']);
    expect(env.exitCode).toBe(0);
    expect(String(env.stdout).trim()).toBe('hola');
  });
});
