// Orphan reaping after a daemon restart, process start times, free ports, and the /proc parser.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { reapOrphans } from '../../../src/supervisor/kill.js';
import { parseStat, processStartTime } from '../../../src/supervisor/procfs.js';
import { freePort } from '../../../src/supervisor/supervisor.js';
import { groupPids, waitFor } from './helpers.js';

const started: number[] = [];

/** A detached group started outside any supervisor, as an earlier daemon would have left it. */
async function leftoverGroup(script: string): Promise<{ pid: number; pgid: number; startTime: number }> {
  const child = spawn('/bin/sh', ['-c', script], { detached: true, stdio: 'ignore' });
  child.unref();
  const pid = child.pid!;
  started.push(pid);
  await waitFor(() => groupPids(pid).length >= 3, 3000, 'the group to start');
  return { pid, pgid: pid, startTime: processStartTime(pid)! };
}

afterEach(() => {
  for (const pgid of started.splice(0)) {
    if (groupPids(pgid).length === 0) continue;
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
});

describe('reapOrphans', () => {
  it('stops a group left by an earlier daemon and counts it', async () => {
    const rec = await leftoverGroup('sleep 1000 & sleep 1000 & wait');
    expect(await reapOrphans([rec], 1000)).toBe(1);
    expect(groupPids(rec.pgid)).toEqual([]);
  });

  it('SIGKILLs a group that ignores SIGTERM after the grace', async () => {
    const rec = await leftoverGroup(`trap '' TERM; sleep 1000 & sleep 1000 & wait`);
    const t0 = Date.now();
    expect(await reapOrphans([rec], 200)).toBe(1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
    expect(groupPids(rec.pgid)).toEqual([]);
  });

  it('ignores a record whose start time does not match (pid reuse) and a pid that is gone', async () => {
    const rec = await leftoverGroup('sleep 1000 & sleep 1000 & wait');
    const gone = { pid: 2 ** 22 + 7, pgid: 2 ** 22 + 7, startTime: 1 };
    expect(await reapOrphans([{ ...rec, startTime: rec.startTime + 1 }, gone], 200)).toBe(0);
    expect(groupPids(rec.pgid).length).toBeGreaterThanOrEqual(3);
  });

  it('never signals pid 0 or 1', async () => {
    expect(await reapOrphans([{ pid: 0, pgid: 0, startTime: 0 }, { pid: 1, pgid: 1, startTime: 0 }], 10)).toBe(0);
  });
});

describe('processStartTime', () => {
  it('reads field 22 of /proc/PID/stat, null once the pid is gone', () => {
    expect(processStartTime(process.pid)).toBeGreaterThan(0);
    expect(processStartTime(2 ** 22 + 7)).toBeNull();
  });

  it('parses stat lines whose comm holds spaces and parentheses', () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3));
    fields[0] = 'S';
    const st = parseStat(42, `42 (we ird) (name)) ${fields.join(' ')}`)!;
    expect(st).toMatchObject({ pid: 42, state: 'S', ppid: 4, pgid: 5, startTime: 22, rssBytes: 24 * 4096 });
    expect(st.cpuTicks).toBe(14 + 15);
  });
});

describe('freePort', () => {
  it('returns a port that can be listened on', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    await new Promise((resolve) => server.close(resolve));
  });
});
