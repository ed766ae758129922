// Issue 9 item 13: `minik up --watch` swaps a single web dyno with preboot on every save: under a constant
// load, successive edits are each served and not one request fails. Counts are asserted, never timings.
import { execa } from 'execa';
import { readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, copyFixture, minik, until, type Minik } from './harness.js';

/** `workers` request loops on fresh connections (as a browser reloading would), counting failures. */
function load(port: number, host: string, workers = 2) {
  let running = true;
  const stats = { ok: 0, failed: 0, errors: [] as string[] };
  const one = () => new Promise<void>((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { host }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode === 200) stats.ok++;
        else { stats.failed++; stats.errors.push(`status ${res.statusCode}`); }
        resolve();
      });
    });
    req.setTimeout(10_000, () => req.destroy(new Error('timed out')));
    req.on('error', (err) => { stats.failed++; stats.errors.push(err.message); resolve(); });
    req.end();
  });
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      await one();
      await new Promise((r) => setTimeout(r, 5));
    }
  });
  return { stats, stop: async () => { running = false; await Promise.all(loops); return stats; } };
}

describe('up --watch', () => {
  let m: Minik;
  let dir: string;
  beforeAll(async () => {
    m = await minik();
    dir = await copyFixture('node-hello', m.home);
  });
  afterAll(async () => { await m.stop(); });

  it('redeploys each edit with a preboot swap: no request fails', { timeout: 180_000 }, async () => {
    const watch = execa(process.execPath, [BIN, 'up', '--watch', dir], { env: m.env, reject: false, stdin: 'ignore' });
    let out = '';
    let said = '';
    watch.stdout?.on('data', (c: Buffer) => { out += c.toString(); });
    watch.stderr?.on('data', (c: Buffer) => { said += c.toString(); });
    const explain = (err: Error) => { throw new Error(`${err.message}\n--- stdout\n${out.slice(-3000)}\n--- stderr\n${said}`); };
    const original = await readFile(join(dir, 'server.js'), 'utf8');
    let l: ReturnType<typeof load> | null = null;
    try {
      await until(() => said.includes('Watching'), 'the first deploy and the watcher', 90_000).catch(explain);
      l = load(m.port, 'node-hello.localhost');
      for (let i = 1; i <= 3; i++) {
        // A save as editors make it: the file truncated, then written. chokidar reports one change for the burst;
        // edit 2 leaves 40 ms between the two (a slow editor, a loaded machine), past the settle time, so the
        // deploy it starts may read the empty file and the write that follows brings no event of its own.
        await writeFile(join(dir, 'server.js'), '');
        if (i === 2) await new Promise((r) => setTimeout(r, 40));
        await writeFile(join(dir, 'server.js'), original.replace(/Hello from/g, `Edit ${i} from`));
        await until(async () => (await m.get('node-hello')).body.includes(`Edit ${i} from`), `edit ${i} to be served`, 60_000, 50).catch(explain);
      }
      await new Promise((r) => setTimeout(r, 500)); // past the last old dyno's retirement
      const stats = await l.stop();
      l = null;
      expect(stats.errors.slice(0, 5)).toEqual([]);
      expect(stats.failed).toBe(0);
      expect(stats.ok).toBeGreaterThan(10);
    } finally {
      await l?.stop();
      watch.kill('SIGINT');
      await watch;
    }
    expect(watch.exitCode).toBe(0);
    expect(out.match(/-----> Released v\d+/g)?.length ?? 0).toBeGreaterThanOrEqual(4); // the first deploy and one per edit
    const ps = await m.run(['ps', '--json', '-a', 'node-hello']);
    const dynos = JSON.parse(String(ps.stdout)) as Array<{ name: string; state: string }>;
    expect(dynos.filter((d) => d.name.startsWith('web.')).map((d) => d.state)).toEqual(['up']); // the old dynos retired
  });
});
