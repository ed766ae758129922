// Build steps are owned: each runs in a process group of its own with a kind=build marker, leaves
// nothing running once it ends or is canceled, and is found by reapOwned() after a daemon died mid-build.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildEnv, runStep } from '../../../src/buildpacks/exec.js';
import { readText } from '../../../src/core/files.js';
import { markedProcesses, newMarker, ownedBy, parseMarker } from '../../../src/supervisor/owner.js';
import { isAlive, readStat } from '../../../src/supervisor/procfs.js';
import { reapOwned } from '../../../src/supervisor/reap.js';
import { buildContext, tempDirs } from './helpers.js';

const temp = tempDirs();
afterAll(() => temp.cleanup());

const waitFor = async (cond: () => boolean, what: string, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('an owned build step', () => {
  it('leads its own process group and carries a kind=build marker of its app and build', async () => {
    const dir = await temp.make();
    const ctx = { ...buildContext(dir, dir), id: 'b1' };
    await runStep(ctx, 'sh', ['-c', 'echo "$MINIK_OWNER"; cut -d" " -f5 /proc/$$/stat; echo $$'], { cwd: dir, env: buildEnv({}) });
    const [marker, pgid, pid] = ctx.lines.map((l) => l.trim());
    expect(parseMarker(marker!)).toMatchObject({ kind: 'build', app: 'test-app', name: 'b1' });
    expect(pgid).toBe(pid);
    expect(Number(pgid)).not.toBe(readStat(process.pid)!.pgid);
  });

  it('ends even when it leaves a setsid child holding its output, and that child is stopped', async () => {
    const dir = await temp.make();
    const ctx = buildContext(dir, dir);
    const home = ctx.home;
    await runStep(ctx, 'sh', ['-c', '(setsid sleep 1000 &); echo started'], { cwd: dir, env: buildEnv({}) });
    expect(ctx.lines).toContain('       started');
    expect(ctx.lines.join('\n')).not.toContain('Warning');
    expect(markedProcesses(ownedBy(home, ['build']))).toEqual([]);
  });

  it('stops waiting, and says so, for a leftover holding its output that it cannot find', async () => {
    const dir = await temp.make();
    const ctx = buildContext(dir, dir);
    const pidFile = path.join(dir, 'leftover.pid');
    // The leftover clears its environment (no marker) and leaves the step's session; the step exits once it runs so.
    const script = `(setsid env -i sh -c 'echo $$ > ${pidFile}; exec sleep 1000' &); while [ ! -s ${pidFile} ]; do sleep 0.05; done; echo started`;
    let leftover = 0;
    try {
      await runStep(ctx, 'sh', ['-c', script], { cwd: dir, env: buildEnv({}), label: 'postinstall' });
      leftover = Number(readFileSync(pidFile, 'utf8'));
      expect(ctx.lines).toContain('       started');
      expect(ctx.lines).toContain(" !     Warning: 'postinstall' ended, but a process it started still holds its output and minik could not find it to stop it; the build goes on without waiting for it.");
      // It is an orphan now: alive, with no marker, out of minik's reach.
      expect(isAlive(leftover)).toBe(true);
      expect(readFileSync(`/proc/${leftover}/environ`, 'utf8')).not.toContain('MINIK_OWNER');
    } finally {
      leftover ||= Number(readText(pidFile) ?? 0);
      if (leftover > 1) process.kill(leftover, 'SIGKILL');
    }
  }, 60_000);

  it('is stopped whole, daemonized children included, when the build is canceled', async () => {
    const dir = await temp.make();
    const abort = new AbortController();
    const ctx = { ...buildContext(dir, dir), signal: abort.signal };
    const running = runStep(ctx, 'sh', ['-c', `trap '' TERM; (setsid sleep 1000 &); sleep 1000 & echo up; wait`], { cwd: dir, env: buildEnv({}) });
    await waitFor(() => markedProcesses(ownedBy(ctx.home, ['build'])).length >= 3, 'the step and its children');
    abort.abort();
    await expect(running).rejects.toThrow("build canceled during 'sh -c");
    expect(markedProcesses(ownedBy(ctx.home, ['build']))).toEqual([]);
  });
});

describe('a build step left by a daemon that died', () => {
  it('is found and stopped by reapOwned on the next start', async () => {
    const dir = await temp.make();
    const ctx = { ...buildContext(dir, dir), id: 'b2' };
    // The step as a killed daemon would have left it: started with the step's environment and marker.
    const marker = newMarker({ home: ctx.home, kind: 'build', app: ctx.app, name: 'b2' });
    const child = spawn('sh', ['-c', '(setsid sleep 1000 &); sleep 1000'], { detached: true, stdio: 'ignore', env: { ...buildEnv({}), MINIK_OWNER: marker } });
    child.unref();
    await waitFor(() => markedProcesses((m) => m === marker).length >= 2, 'the step and its setsid child');
    const reaped = await reapOwned({ home: ctx.home, graceMs: 1000 });
    expect(reaped).toMatchObject([{ kind: 'build', app: 'test-app', name: 'b2' }]);
    expect(markedProcesses((m) => m === marker)).toEqual([]);
  });
});
