// Issue 3: preboot deploys under load (no failed request) and the watch loop.
import { execa } from 'execa';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, copyFixture, load, minik, until, type Minik } from './harness.js';

describe('zero-downtime deploys', () => {
  let m: Minik;
  let dir: string;
  beforeAll(async () => {
    m = await minik();
    dir = await copyFixture('node-hello', m.home);
    expect((await m.run(['up', dir])).exitCode).toBe(0);
    expect((await m.run(['scale', 'web=2', '-a', 'node-hello'])).exitCode).toBe(0);
  });
  afterAll(async () => { await m.stop(); });

  it('serves every request while redeploying and changing config', { timeout: 120_000 }, async () => {
    const l = load(m.port, 'node-hello.localhost');
    await new Promise((r) => setTimeout(r, 300));
    const src = await readFile(join(dir, 'server.js'), 'utf8');
    await writeFile(join(dir, 'server.js'), src.replace(/Hello from/g, 'Hi again from'));
    expect((await m.run(['up', dir])).exitCode).toBe(0);
    expect((await m.run(['config:set', 'X=1', '-a', 'node-hello'])).exitCode).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    const stats = await l.stop();
    expect(stats.errors.slice(0, 5)).toEqual([]);
    expect(stats.failed).toBe(0);
    expect(stats.ok).toBeGreaterThan(50);
    expect((await m.get('node-hello')).body).toContain('Hi again from');
  });

  it('up --watch redeploys an edit and keeps the app running after Ctrl-C', { timeout: 120_000 }, async () => {
    const watch = execa(process.execPath, [BIN, 'up', '--watch', dir], { env: m.env, reject: false, stdin: 'ignore' });
    try {
      let said = '';
      watch.stderr?.on('data', (c: Buffer) => { said += c.toString(); });
      await until(() => said.includes('Watching'), 'the watcher to be ready', 60_000);
      const src = await readFile(join(dir, 'server.js'), 'utf8');
      await writeFile(join(dir, 'server.js'), src.replace(/(Hello|Hi again) from/g, 'Watched from'));
      let out = '';
      watch.stdout?.on('data', (c: Buffer) => { out += c.toString(); });
      await until(async () => (await m.get('node-hello')).body.includes('Watched from'), 'the edit to be served', 30_000, 100)
        .catch((err: Error) => { throw new Error(`${err.message}\n--- stdout\n${out}\n--- stderr\n${said}`); });
    } finally {
      watch.kill('SIGINT');
      await watch;
    }
    expect(watch.exitCode).toBe(0);
    expect((await m.get('node-hello')).body).toContain('Watched from');
  });
});
