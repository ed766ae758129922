// Why: a stop reads the environ only of processes started since the dyno's leader: older ones cannot
// carry its marker, and reading them all was the costly part of every redeploy's retirement.
import { describe, expect, it } from 'vitest';
import { candidates } from '../../../src/supervisor/kill.js';
import type { ProcStat } from '../../../src/supervisor/procfs.js';

const proc = (pid: number, startTime: number): ProcStat => ({ pid, ppid: 1, pgid: pid, state: 'S', startTime, cpuTicks: 0, rssBytes: 0, kernel: false });

describe('candidates', () => {
  const stats = [proc(10, 100), proc(20, 500), proc(30, 501), proc(40, 9000)];

  it('keeps only processes started at or after the leader', () => {
    expect(candidates({ startTime: 500 }, stats).map((s) => s.pid)).toEqual([20, 30, 40]);
  });

  it('keeps every process when the leader\'s start time is unknown (recovery by marker alone)', () => {
    expect(candidates({ startTime: null }, stats)).toHaveLength(4);
    expect(candidates({}, stats)).toHaveLength(4);
  });
});
