// Issue 18, defect 2: a reader that falls behind holds a bounded queue that drops its OLDEST lines, and learns
// how many it missed from one L10 line, then gets the newest lines in order.
import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../../src/core/types.js';
import { LogFollower } from '../../../src/supervisor/log-follower.js';
import { LOG_QUEUE_LIMITS, LogQueue, overflowLine } from '../../../src/supervisor/log-queue.js';

const time = (i: number) => `2026-11-23T08:00:00.${String(i).padStart(6, '0')}+00:00`;
const line = (i: number, size = 100): LogLine => ({ time: time(i), source: 'app', process: 'web.1', message: `${i} ${'x'.repeat(size)}` });
const first = (l: LogLine) => l.message.split(' ')[0];
const L10 = /^Error L10 \(output buffer overflow\): (\d+) messages dropped since (\S+)\.$/;

/** A reader that accepts `budget` lines, then is behind until drain() is called. */
function reader(budget: number) {
  const got: LogLine[] = [];
  let resume: (() => void) | null = null;
  const r = {
    got, budget,
    sink: {
      write: (l: LogLine) => { got.push(l); return --r.budget > 0; },
      onDrain: (fn: () => void) => { resume = fn; },
    },
    drain(more: number) { r.budget = more; const fn = resume; resume = null; fn?.(); },
  };
  return r;
}

describe('LogQueue', () => {
  it('is a FIFO while under its caps', () => {
    const q = new LogQueue({ maxLines: 10, maxBytes: 1e6 });
    for (let i = 0; i < 5; i++) q.push(line(i));
    expect([q.length, q.dropped, q.pending]).toEqual([5, 0, true]);
    expect(q.peek()).toEqual(line(0));
    expect(q.shift()).toEqual(line(0));
    expect([1, 2, 3, 4].map(() => first(q.shift()!))).toEqual(['1', '2', '3', '4']);
    expect([q.shift(), q.pending, q.length, q.bytes]).toEqual([undefined, false, 0, 0]);
  });

  it('drops the oldest lines past its line cap, counts them, and reports them first with the L10 line', () => {
    const q = new LogQueue({ maxLines: 3, maxBytes: 1e6 });
    for (let i = 0; i < 10; i++) q.push(line(i));
    expect([q.length, q.dropped]).toEqual([3, 7]);
    const l10 = q.shift()!;
    expect(l10).toMatchObject({ source: 'minik', process: 'logplex', message: `Error L10 (output buffer overflow): 7 messages dropped since ${time(0)}.` });
    expect(l10.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
    expect([1, 2, 3].map(() => first(q.shift()!))).toEqual(['7', '8', '9']);
    expect(q.pending).toBe(false);
  });

  it('counts from the first line it dropped after some were taken, and its peeked L10 count follows new drops', () => {
    const q = new LogQueue({ maxLines: 2, maxBytes: 1e6 });
    for (let i = 0; i < 3; i++) q.push(line(i)); // 0 dropped
    expect(q.peek()!.message).toBe(`Error L10 (output buffer overflow): 1 messages dropped since ${time(0)}.`);
    q.push(line(3)); // 1 dropped too
    expect(q.shift()!.message).toBe(`Error L10 (output buffer overflow): 2 messages dropped since ${time(0)}.`);
    expect(first(q.shift()!)).toBe('2');
    for (let i = 4; i < 8; i++) q.push(line(i)); // 3, 4, 5 dropped: the gap starts after the last line taken
    expect(q.shift()!.message).toBe(`Error L10 (output buffer overflow): 3 messages dropped since ${time(3)}.`);
    expect([first(q.shift()!), first(q.shift()!), q.shift()]).toEqual(['6', '7', undefined]);
  });

  it('bounds the bytes too when lines are long', () => {
    const q = new LogQueue();
    for (let i = 0; i < 5000; i++) q.push(line(i, 9_000));
    expect(q.bytes).toBeLessThanOrEqual(LOG_QUEUE_LIMITS.maxBytes);
    expect(q.length).toBeGreaterThan(100);
    expect(q.length).toBeLessThan(120);
    expect(q.dropped).toBe(5000 - q.length);
    expect(first(q.shift()!)).toBe('Error');
    expect(first(q.shift()!)).toBe(String(5000 - q.length - 1));
  });

  it('holds at most 1,024 lines by default, however much is pushed', () => {
    const q = new LogQueue();
    let most = 0;
    for (let i = 0; i < 200_000; i++) {
      q.push(line(i));
      most = Math.max(most, q.length);
    }
    expect(most).toBe(LOG_QUEUE_LIMITS.maxLines);
    expect(q.dropped).toBe(200_000 - 1024);
  });

  it('writes the L10 line in logplex’s words', () => {
    expect(overflowLine(476, '2026-11-23T08:00:00.677020+00:00', 'T').message).toBe('Error L10 (output buffer overflow): 476 messages dropped since 2026-11-23T08:00:00.677020+00:00.');
  });
});

describe('LogFollower', () => {
  it('passes lines straight through while the reader keeps up', () => {
    const r = reader(Infinity);
    const f = new LogFollower(r.sink);
    for (let i = 0; i < 5000; i++) f.push(line(i));
    expect(r.got).toHaveLength(5000);
    expect(f.backlog).toEqual({ lines: 0, bytes: 0, dropped: 0 });
  });

  it('allocates no queue until the reader first falls behind (a follower that keeps up holds none)', () => {
    const n = 300; // with a queue each up front: 300 × (64 KB + 8 KB) = 21 MB of buffers
    const base = process.memoryUsage().arrayBuffers;
    const keeping = Array.from({ length: n }, () => new LogFollower(reader(Infinity).sink));
    for (const f of keeping) for (let i = 0; i < 10; i++) f.push(line(i));
    const grew = process.memoryUsage().arrayBuffers - base;
    expect(grew).toBeLessThan(2 * 1024 * 1024);
    const behind = Array.from({ length: 10 }, () => new LogFollower(reader(1).sink));
    for (const f of behind) for (let i = 0; i < 10; i++) f.push(line(i));
    expect(process.memoryUsage().arrayBuffers - base).toBeGreaterThan(10 * 64 * 1024); // the ones behind got theirs
    expect(keeping.concat(behind).map((f) => f.backlog.lines)).toEqual([...Array(n).fill(0), ...Array(10).fill(9)]);
  });

  it('on resume sends one L10 line for the oldest lines it dropped, then the newest lines in order, then live ones', () => {
    const r = reader(1);
    const f = new LogFollower(r.sink, { maxLines: 3, maxBytes: 1e6 });
    for (let i = 0; i < 10; i++) f.push(line(i)); // 0 sent (the reader is behind after it), 1-9 queued, 1-6 dropped
    expect(f.backlog).toMatchObject({ lines: 3, dropped: 6 });
    r.drain(Infinity);
    expect(r.got.map(first)).toEqual(['0', 'Error', '7', '8', '9']);
    expect(r.got[1]!.message).toBe(`Error L10 (output buffer overflow): 6 messages dropped since ${time(1)}.`);
    f.push(line(10));
    expect(r.got.at(-1)!.message).toMatch(/^10 /);
    expect(f.backlog).toEqual({ lines: 0, bytes: 0, dropped: 0 });
  });

  it('stops again mid-resume when the reader falls behind again, and reports later drops before the lines after them', () => {
    const r = reader(1);
    const f = new LogFollower(r.sink, { maxLines: 4, maxBytes: 1e6 });
    for (let i = 0; i < 6; i++) f.push(line(i)); // 0 sent, 1 dropped, 2-5 queued
    r.drain(2); // L10 and 2 sent; behind again
    expect(r.got.map(first)).toEqual(['0', 'Error', '2']);
    expect(f.backlog).toMatchObject({ lines: 3, dropped: 0 });
    for (let i = 6; i < 9; i++) f.push(line(i)); // 3, 4 dropped
    r.drain(Infinity);
    expect(r.got.map(first)).toEqual(['0', 'Error', '2', 'Error', '5', '6', '7', '8']);
    expect(r.got[3]!.message).toBe(`Error L10 (output buffer overflow): 2 messages dropped since ${time(3)}.`);
  });

  it('a reader that never reads costs a bounded queue, not every line', () => {
    const r = reader(1);
    const f = new LogFollower(r.sink);
    for (let i = 0; i < 100_000; i++) f.push(line(i, 300));
    expect(f.backlog.lines).toBeLessThanOrEqual(LOG_QUEUE_LIMITS.maxLines);
    expect(f.backlog.bytes).toBeLessThanOrEqual(LOG_QUEUE_LIMITS.maxBytes);
    expect(f.backlog.lines + f.backlog.dropped).toBe(100_000 - 1);
    expect(r.got).toHaveLength(1);
  });
});
