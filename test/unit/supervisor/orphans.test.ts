// Recovery after a daemon restart: records and markers prove ownership before any signal; a stranger
// holding a recorded pid or pgid, another MINIK_HOME's processes and another boot's records are left alone.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { bootId, markedProcesses, markedProcessesAsync, newMarker } from '../../../src/supervisor/owner.js';
import { allStatsAsync, mapSliced, parseStat, processStartTime } from '../../../src/supervisor/procfs.js';
import { reapOrphans, reapOwned } from '../../../src/supervisor/reap.js';
import { alive, groupPids, tempDir, waitFor } from './helpers.js';

const started: number[] = [];
const HOME = tempDir('minik-home-');

/** A detached group started outside any supervisor, as an earlier daemon would have left it. */
async function leftover(script: string, marker?: string, members = 3) {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
  if (marker) env.MINIK_OWNER = marker;
  const child = spawn('/bin/sh', ['-c', script], { detached: true, stdio: 'ignore', env });
  child.unref();
  const pid = child.pid!;
  started.push(pid);
  await waitFor(() => groupPids(pid).length >= members, 3000, 'the group to start');
  return { pid, pgid: pid, startTime: processStartTime(pid)!, bootId: bootId(), marker: marker ?? '' };
}

/** Pids carrying exactly this marker. */
const carriers = (marker: string) => markedProcesses((m) => m === marker).map((p) => p.pid);
const marker = (app = 'demo', name = 'web.1', kind: 'dyno' | 'build' = 'dyno', home = HOME) => newMarker({ home, kind, app, name });
// A setsid'ed child of a subshell that exits at once: a daemonized process in a session of its own.
const DOUBLE_FORK = '(setsid sleep 1000 &); sleep 1000 & sleep 1000 & wait';

afterEach(() => {
  for (const pgid of started.splice(0)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
});

describe('reapOrphans', () => {
  it('stops a recorded group and its double-forked, setsid child, and counts it', async () => {
    const m = marker();
    const rec = await leftover(DOUBLE_FORK, m);
    await waitFor(() => carriers(m).length >= 4, 3000, 'the setsid child');
    const escaped = carriers(m).filter((p) => !groupPids(rec.pgid).includes(p));
    expect(escaped.length).toBeGreaterThanOrEqual(1);
    expect(await reapOrphans([rec], 1000)).toBe(1);
    expect(groupPids(rec.pgid)).toEqual([]);
    expect(carriers(m)).toEqual([]);
    for (const p of escaped) expect(alive(p)).toBe(false);
  });

  it('SIGKILLs a group that ignores SIGTERM after the grace', async () => {
    const rec = await leftover(`trap '' TERM; sleep 1000 & sleep 1000 & wait`, marker());
    expect(await reapOrphans([rec], 200)).toBe(1);
    expect(groupPids(rec.pgid)).toEqual([]);
  });

  it('never signals a stranger holding the recorded pid and pgid, even with the right start time', async () => {
    const stranger = await leftover('sleep 1000 & sleep 1000 & wait');
    expect(await reapOrphans([{ ...stranger, marker: marker() }], 200)).toBe(0);
    expect(groupPids(stranger.pgid).length).toBeGreaterThanOrEqual(3);
  });

  it('skips records of another boot and records without a marker (from before markers)', async () => {
    const m = marker();
    const ours = await leftover('sleep 1000 & sleep 1000 & wait', m);
    expect(await reapOrphans([{ ...ours, bootId: 'another-boot' }, { ...ours, marker: '' }], 200)).toBe(0);
    expect(groupPids(ours.pgid).length).toBeGreaterThanOrEqual(3);
  });

  it('ignores a pid that is gone and never signals pid 0 or 1', async () => {
    const rec = { pid: 2 ** 22 + 7, pgid: 2 ** 22 + 7, startTime: 1, bootId: bootId(), marker: marker() };
    const zero = { pid: 0, pgid: 0, startTime: 0, bootId: bootId(), marker: marker() };
    expect(await reapOrphans([rec, zero, { ...zero, pid: 1, pgid: 1 }], 10)).toBe(0);
  });
});

describe('reapOwned', () => {
  it("stops this home's marked dynos and build steps, and nothing of another home, boot, kind or app", async () => {
    const dyno = marker('demo', 'web.1');
    const build = marker('demo', 'build-1', 'build');
    const otherApp = marker('other', 'web.1');
    const otherHome = marker('demo', 'web.1', 'dyno', tempDir('minik-home-'));
    const otherBoot = dyno.replace(`:${bootId()}:`, ':0123456789abcdef:');
    const groups = await Promise.all([dyno, build, otherApp, otherHome, otherBoot].map((m) => leftover(DOUBLE_FORK, m)));
    await waitFor(() => carriers(dyno).length >= 4 && carriers(build).length >= 4, 3000, 'the setsid children');

    const onlyBuilds = await reapOwned({ home: HOME, kinds: ['build'], graceMs: 1000 });
    expect(onlyBuilds.map((r) => [r.kind, r.app, r.name])).toEqual([['build', 'demo', 'build-1']]);
    expect(carriers(build)).toEqual([]);
    expect(carriers(dyno).length).toBeGreaterThanOrEqual(4);

    const demo = await reapOwned({ home: HOME, app: 'demo', graceMs: 1000 });
    expect(demo.map((r) => r.marker)).toEqual([dyno]);
    expect(carriers(dyno)).toEqual([]);
    for (const m of [otherApp, otherHome, otherBoot]) expect(carriers(m).length, m).toBeGreaterThanOrEqual(4);
    expect(groupPids(groups[3]!.pgid).length).toBeGreaterThanOrEqual(3);

    expect(await reapOwned({ home: HOME, app: (a) => a !== 'other', graceMs: 1000 })).toEqual([]);
    expect((await reapOwned({ home: HOME, graceMs: 1000 })).map((r) => r.app)).toEqual(['other']);
    for (const m of [otherHome, otherBoot]) expect(carriers(m).length, m).toBeGreaterThanOrEqual(4);
    for (const m of [otherHome, otherBoot]) for (const p of carriers(m)) process.kill(p, 'SIGKILL');
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

describe('async /proc scans', () => {
  it('find the same processes and markers as the synchronous ones', async () => {
    const m = marker('async', 'web.1');
    const g = await leftover('sleep 1000 & sleep 1000 & wait', m);
    const stats = await allStatsAsync();
    expect(stats.map((s) => s.pid)).toEqual(expect.arrayContaining(groupPids(g.pid)));
    const asyncCarriers = (await markedProcessesAsync((x) => x === m, stats)).map((p) => p.pid).sort();
    expect(asyncCarriers).toEqual(carriers(m).sort());
    expect(asyncCarriers.length).toBeGreaterThanOrEqual(3);
  });

  it('mapSliced keeps the order and lets the event loop run between slices of 16', async () => {
    let turns = 0;
    let ticking = true;
    const tick = () => { turns++; if (ticking) setImmediate(tick); };
    setImmediate(tick);
    const seen: number[] = [];
    const out = await mapSliced(Array.from({ length: 100 }, (_, i) => i), (i) => { seen.push(turns); return i * 2; });
    ticking = false;
    expect(out).toEqual(Array.from({ length: 100 }, (_, i) => i * 2));
    expect(seen[15]).toBe(seen[0]); // one slice runs without a turn of the loop…
    expect(seen[99]! - seen[0]!).toBeGreaterThanOrEqual(5); // …and the loop turned between the 7 slices
  });
});
