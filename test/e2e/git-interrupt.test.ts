// Issue 10: Ctrl-C during `git push` stops the build and its children, leaves the ref where it was and the
// old release serving, and leaves nothing behind in builds/ or in the hook's temporary folder.
import { execa } from 'execa';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../../src/supervisor/procfs.js';
import { git, gitEnv, initRepo, remoteRef } from './git-helpers.js';
import { copyFixture, minik, until, type Minik } from './harness.js';

/** Live processes whose command line contains `marker`. */
async function processesWith(marker: string): Promise<number[]> {
  const pids = (await readdir('/proc')).filter((d) => /^\d+$/.test(d)).map(Number);
  const found: number[] = [];
  for (const pid of pids) {
    const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmd.replace(/\0/g, ' ').includes(marker) && isAlive(pid)) found.push(pid);
  }
  return found;
}

describe('Ctrl-C during git push', () => {
  let m: Minik;
  let dir: string;
  let env: Record<string, string>;
  const marker = `sleep ${(40 + Math.random()).toFixed(4)}`;
  beforeAll(async () => {
    m = await minik();
    env = gitEnv(m.env);
    dir = await copyFixture('node-hello', m.home);
    await initRepo(dir, env);
    expect((await m.run(['apps:create', 'shop'], { cwd: dir })).exitCode).toBe(0);
    const first = await git(dir, ['push', 'minik', 'main'], env);
    expect(first.exitCode, String(first.stderr)).toBe(0);
  }, 120_000);
  afterAll(async () => {
    for (const pid of await processesWith(marker)) process.kill(pid, 'SIGKILL');
    await m.stop();
  });

  it('SIGINT to the git push process group mid-build leaves no process, the ref unmoved and the old release serving', { timeout: 120_000 }, async () => {
    const repo = join(m.home, 'repos', 'shop.git');
    const before = await remoteRef(repo, 'main', env);
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    pkg.scripts.build = marker;
    await writeFile(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
    await git(dir, ['commit', '-qam', 'slow build'], env);
    // Its own process group, as a terminal gives a foreground job: Ctrl-C signals git, receive-pack and the hook.
    const pushing = execa('git', ['push', 'minik', 'main'], { cwd: dir, env, detached: true, reject: false, stdin: 'ignore' });
    await until(async () => (await processesWith(marker)).length > 0, 'the slow build step to start', 60_000, 100);
    process.kill(-pushing.pid!, 'SIGINT');
    const r = await pushing;
    expect(r.exitCode).not.toBe(0);
    await until(async () => (await processesWith(marker)).length === 0, 'the build step to be stopped', 15_000, 100);
    expect(await remoteRef(repo, 'main', env)).toBe(before);
    expect((await m.get('shop')).body).toBe('Hello from node-hello (web.1)');
    const releases = JSON.parse(String((await m.run(['releases', '--json', '-a', 'shop'])).stdout)) as { status: string }[];
    expect(releases.filter((x) => x.status === 'succeeded')).toHaveLength(1);
    await until(async () => (await readdir(join(m.home, 'builds', 'shop')).catch(() => [])).length === 0, 'builds/shop to be empty', 10_000);
    expect((await readdir(tmpdir())).filter((f) => f.startsWith('minik-push-shop-'))).toEqual([]);
  });
});
