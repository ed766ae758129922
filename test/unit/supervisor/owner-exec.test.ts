// A process caught in the middle of an execve shows an empty environment: the marker scan reads it again
// until it shows one, so a stop or a reap never concludes "nothing of ours is left" from that one read. Kernel
// threads and processes whose environment is really empty cost no wait.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { terminateGroup } from '../../../src/supervisor/kill.js';
import { IN_EXEC, markedProcessesAsync, markerOf, procReader, scanMarkers, type ProcReader } from '../../../src/supervisor/owner.js';
import { isAlive, parseEnvState, readEnvState, readStat, type EnvState, type ProcStat } from '../../../src/supervisor/procfs.js';

const MARKER = 'h:b:build:app:build:n1';
const environ = (text: string) => Buffer.from(text.split(' ').join('\0') + '\0');
const proc = (pid: number, kernel = false): ProcStat => ({ pid, ppid: 1, pgid: pid, state: 'S', startTime: 1, cpuTicks: 0, rssBytes: 0, kernel });

/** A reader that plays back a script of environ reads (then repeats the last) with a fixed EnvState; counts its reads. */
function scripted(reads: (Buffer | null)[], state: EnvState): ProcReader & { environReads: number; stateReads: number } {
  const r = {
    environReads: 0,
    stateReads: 0,
    environ: () => reads[Math.min(r.environReads++, reads.length - 1)] ?? null,
    envState: () => {
      r.stateReads++;
      return state;
    },
  };
  return r;
}

/** A stat line with the given state, flags and env_start/env_end (fields 3, 9, 50, 51). */
function statLine(state: string, flags: number, envStart: number, envEnd: number): string {
  const f = Array.from({ length: 50 }, () => '0');
  f[0] = state;
  f[6] = String(flags);
  f[47] = String(envStart);
  f[48] = String(envEnd);
  return `42 (a (b) c) ${f.join(' ')}`;
}

describe('EnvState: why an environ read came back empty', () => {
  it('tells a process mid-exec (env_end 0) from an empty environment, a set one and the gone', () => {
    expect(parseEnvState(statLine('R', 0x400000, 0, 0))).toBe('exec');
    expect(parseEnvState(statLine('S', 0x400000, 1000, 1000))).toBe('empty');
    expect(parseEnvState(statLine('S', 0x400000, 1000, 1200))).toBe('set');
    expect(parseEnvState(statLine('Z', 0x400000, 0, 0))).toBe('gone');
    expect(parseEnvState(statLine('S', 0x208040, 0, 0))).toBe('gone'); // PF_KTHREAD: kthreadd's flags
    expect(parseEnvState(statLine('R', 0x400044, 0, 0))).toBe('gone'); // PF_EXITING
    expect(parseEnvState('garbage')).toBe('gone');
  });

  it('reads real processes: this one has an environment, `env -i sleep` an empty one, a kernel thread none', async () => {
    expect(readEnvState(process.pid)).toBe('set');
    const bare = spawn('env', ['-i', 'sleep', '30'], { stdio: 'ignore' });
    try {
      const end = Date.now() + 10_000;
      while (readFileSync(`/proc/${bare.pid}/comm`, 'utf8').trim() !== 'sleep' && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(readEnvState(bare.pid!)).toBe('empty');
      expect(markerOf(readStat(bare.pid!)!)).toBeNull();
    } finally {
      bare.kill('SIGKILL');
    }
    const kthreadd = readStat(2);
    if (kthreadd && kthreadd.ppid === 0) {
      expect(kthreadd.kernel).toBe(true); // visible outside a pid namespace only
      expect(readEnvState(2)).toBe('gone');
    }
    expect(readStat(process.pid)!.kernel).toBe(false);
  });
});

describe('the marker scan', () => {
  it('reads a process caught mid-exec again and finds its marker', async () => {
    const io = scripted([Buffer.alloc(0), environ(`PATH=/bin MINIK_OWNER=${MARKER}`)], 'exec');
    expect(scanMarkers((m) => m === MARKER, [proc(4242)], scripted([Buffer.alloc(0)], 'exec')).inExec.map((s) => s.pid)).toEqual([4242]);
    const found = await markedProcessesAsync((m) => m === MARKER, [proc(4242)], io);
    expect(found.map((p) => [p.pid, p.marker])).toEqual([[4242, MARKER]]);
    expect(io.environReads).toBe(2);
  });

  it('reads at once again a process whose read raced an exec that has set up its new environment', () => {
    const io = scripted([Buffer.alloc(0), environ(`MINIK_OWNER=${MARKER}`)], 'set');
    expect(markerOf(proc(7), io)).toBe(MARKER);
    expect(io.environReads).toBe(2);
  });

  it('waits for nothing on an empty environment, and reads no environ of a kernel thread', async () => {
    const empty = scripted([Buffer.alloc(0)], 'empty');
    const start = Date.now();
    expect(await markedProcessesAsync(() => true, [proc(7)], empty)).toEqual([]);
    expect(Date.now() - start).toBeLessThan(1000); // no EXEC_WAIT_MS (2 s) spent on it
    expect([empty.environReads, empty.stateReads]).toEqual([1, 1]);
    const kernel = scripted([Buffer.alloc(0)], 'gone');
    expect(markerOf(proc(2, true), kernel)).toBeNull();
    expect(kernel.environReads).toBe(0);
  });

  it('gives up on a process that stays mid-exec, after about two seconds', async () => {
    const stuck = scripted([Buffer.alloc(0)], 'exec');
    const start = Date.now();
    expect(await markedProcessesAsync(() => true, [proc(7)], stuck)).toEqual([]);
    expect(Date.now() - start).toBeGreaterThanOrEqual(1900);
    expect(markerOf(proc(7), stuck)).toBe(IN_EXEC);
  });
});

describe('a real process that execs in a loop', () => {
  let child: ChildProcess | null = null;
  let dir = '';
  afterEach(() => {
    child?.kill('SIGKILL');
    child = null;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is found by every async scan, also those that caught it mid-exec', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'minik-exec-'));
    const script = path.join(dir, 'loop.sh');
    writeFileSync(script, `n=$1; [ "$n" -gt 0 ] && exec /bin/sh ${script} $((n-1))\nexit 0\n`);
    child = spawn('/bin/sh', [script, '1000000'], { stdio: 'ignore', env: { PATH: '/usr/bin:/bin', MINIK_OWNER: MARKER } });
    const pid = child.pid!;
    let caughtMidExec = 0;
    const counting: ProcReader = {
      environ: procReader.environ,
      envState: (p) => {
        const s = procReader.envState(p);
        if (s === 'exec') caughtMidExec++;
        return s;
      },
    };
    let scans = 0;
    const end = Date.now() + 20_000;
    // Measured: such a process reads back empty in about 3% of reads; run until the race was hit a few times.
    while (caughtMidExec < 5 && Date.now() < end) {
      const stat = readStat(pid);
      if (!stat) break;
      const found = await markedProcessesAsync((m) => m === MARKER, [stat], counting);
      expect(found.map((p) => p.pid)).toEqual([pid]);
      scans++;
    }
    expect(readStat(pid)).not.toBeNull(); // it was alive through every scan
    expect(caughtMidExec, `${scans} scans`).toBeGreaterThanOrEqual(5);
  }, 30_000);

  it('is stopped by terminateGroup, found by its marker alone, every time', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'minik-exec-'));
    const script = path.join(dir, 'loop.sh');
    writeFileSync(script, `n=$1; [ "$n" -gt 0 ] && exec /bin/sh ${script} $((n-1))\nexit 0\n`);
    for (let i = 0; i < 10; i++) {
      child = spawn('/bin/sh', [script, '1000000'], { stdio: 'ignore', env: { PATH: '/usr/bin:/bin', MINIK_OWNER: MARKER } });
      const pid = child.pid!;
      const res = await terminateGroup({ pid: 0, pgid: 0, marker: MARKER, graceMs: 1000 });
      expect(res.found, `round ${i}`).toBeGreaterThanOrEqual(1);
      expect(isAlive(pid), `round ${i}`).toBe(false);
    }
  }, 60_000);
});
