// Issue 8 items 4 and 5, through the real CLI and daemon: Ctrl-C on `minik up` cancels its build and
// leaves nothing behind; after a daemon SIGKILL each app recovers on its own, so one app's stubborn
// leftover does not hold up commands for another.
import { execa } from 'execa';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive, BIN, minik, until, type Minik } from './harness.js';

/** pids of processes whose command line is exactly `sleep SECONDS` (a distinctive duration marks ours). */
function sleeping(seconds: string): number[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try { return readFileSync(`/proc/${p}/cmdline`, 'utf8') === `sleep\0${seconds}\0`; } catch { return false; }
  }).map(Number);
}

async function app(m: Minik, name: string, files: Record<string, string>): Promise<string> {
  const dir = join(m.home, 'src', name);
  await mkdir(dir, { recursive: true });
  for (const [f, text] of Object.entries(files)) await writeFile(join(dir, f), text);
  return dir;
}

describe('Ctrl-C on minik up', () => {
  let m: Minik;
  beforeAll(async () => { m = await minik(); });
  afterAll(async () => { await m.stop(); });

  it('cancels the build, kills its processes and releases nothing', async () => {
    const dir = await app(m, 'slow', {
      Procfile: 'web: python3 -m http.server $PORT\n',
      'package.json': JSON.stringify({ name: 'slow', version: '1.0.0', scripts: { 'heroku-prebuild': 'sleep 9.17' } }),
    });
    const up = execa(process.execPath, [BIN, 'up', dir], { env: m.env, reject: false, stdin: 'ignore' });
    await until(() => sleeping('9.17').length > 0, 'the build step to start', 60_000);
    up.kill('SIGINT');
    await up;
    await until(() => sleeping('9.17').length === 0, 'the build step to be killed', 10_000);
    const releases = await m.run(['releases', '--json', '-a', 'slow']);
    expect(JSON.parse(String(releases.stdout))).toEqual([]);
    expect(await readdir(join(m.home, 'builds', 'slow')).catch(() => [])).toEqual([]);
    const logs = await m.run(['logs', '-a', 'slow', '-n', '50']);
    expect(String(logs.stdout)).toContain('Build canceled: the client disconnected');
  });
});

describe('recovery per app', () => {
  let m: Minik;
  beforeAll(async () => { m = await minik({ MINIK_STOP_TIMEOUT: '8' }); });
  afterAll(async () => { await m.stop(); });

  it("answers for one app while another app's TERM-ignoring leftover is still being stopped", async () => {
    const stubborn = await app(m, 'stubborn', { Procfile: "web: trap '' TERM; exec python3 -m http.server $PORT\n" });
    const quick = await app(m, 'quick', { Procfile: 'web: python3 -m http.server $PORT\n' });
    expect((await m.run(['up', stubborn])).exitCode).toBe(0);
    expect((await m.run(['up', quick])).exitCode).toBe(0);
    const ps = JSON.parse(String((await m.run(['ps', '--json', '-a', 'stubborn'])).stdout)) as { pid: number }[];
    const leftover = ps[0]!.pid;
    const pid = await m.daemonPid();
    process.kill(pid!, 'SIGKILL');
    await until(() => !alive(pid!), 'the daemon to die');

    const r = await m.run(['ps', '--json', '-a', 'quick']);
    expect(r.exitCode).toBe(0);
    // Answered only once quick was recovered (its formation is back), not before and not after stubborn.
    expect((JSON.parse(String(r.stdout)) as { name: string }[]).map((d) => d.name)).toEqual(['web.1']);
    // The stubborn app's old dyno ignores SIGTERM for 8 s: quick answered while it still ran.
    expect(alive(leftover)).toBe(true);
    await until(() => !alive(leftover), 'the stubborn leftover to be killed', 20_000);
    await until(async () => (await m.get('stubborn')).status === 200, 'stubborn to serve again', 30_000);
  });
});
