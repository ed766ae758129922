// Issue 8 item 18: a follower that stops reading holds a bounded buffer, and learns what it missed (L10).
import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../../src/core/types.js';
import { FOLLOWER_MAX_BYTES, FOLLOWER_MAX_LINES, LogFollower } from '../../../src/supervisor/log-follower.js';

const line = (i: number, size = 100): LogLine => ({ time: `T${i}`, source: 'app', process: 'web.1', message: `${i} ${'x'.repeat(size)}` });

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

describe('LogFollower', () => {
  it('passes lines straight through while the reader keeps up', () => {
    const r = reader(Infinity);
    const f = new LogFollower(r.sink);
    for (let i = 0; i < 5000; i++) f.push(line(i));
    expect(r.got).toHaveLength(5000);
    expect(f.backlog).toEqual({ lines: 0, bytes: 0, dropped: 0 });
  });

  it('holds at most 1,024 lines for a reader that never reads, however much is written', () => {
    const r = reader(1);
    const f = new LogFollower(r.sink);
    let most = 0;
    for (let i = 0; i < 200_000; i++) {
      f.push(line(i));
      most = Math.max(most, f.backlog.lines);
    }
    expect(most).toBe(FOLLOWER_MAX_LINES);
    expect(f.backlog.bytes).toBeLessThanOrEqual(FOLLOWER_MAX_BYTES);
    expect(f.backlog.dropped).toBe(200_000 - 1 - FOLLOWER_MAX_LINES);
    expect(r.got).toHaveLength(1); // the write that found the reader behind
  });

  it('bounds the bytes too when lines are long', () => {
    const f = new LogFollower(reader(1).sink);
    for (let i = 0; i < 5000; i++) f.push(line(i, 9_000));
    expect(f.backlog.bytes).toBeLessThanOrEqual(FOLLOWER_MAX_BYTES);
    expect(f.backlog.lines).toBeLessThan(120);
  });

  it('on resume sends the queued lines, then one L10 line counting the dropped ones since the first', () => {
    const r = reader(1);
    const f = new LogFollower(r.sink, { maxLines: 3, maxBytes: 1e6 });
    for (let i = 0; i < 10; i++) f.push(line(i));
    r.drain(Infinity);
    expect(r.got.map((l) => l.message.split(' ')[0])).toEqual(['0', '1', '2', '3', expect.stringMatching(/^Error/)]);
    const l10 = r.got[4]!;
    expect(l10).toMatchObject({ source: 'minik', process: 'logplex', message: 'Error L10 (output buffer overflow): 6 messages dropped since T4.' });
    f.push(line(10));
    expect(r.got.at(-1)!.message).toMatch(/^10 /);
    expect(f.backlog).toEqual({ lines: 0, bytes: 0, dropped: 0 });
  });

  it('stops again mid-resume when the reader falls behind again, and keeps the gap after the queued lines', () => {
    const r = reader(1);
    const f = new LogFollower(r.sink, { maxLines: 4, maxBytes: 1e6 });
    for (let i = 0; i < 6; i++) f.push(line(i)); // 0 sent, 1-4 queued, 5 dropped
    r.drain(2); // 1, 2 sent; behind again
    expect(f.backlog).toMatchObject({ lines: 2, dropped: 1 });
    f.push(line(6)); // dropped too: the gap stays in one place, after 4
    r.drain(Infinity);
    expect(r.got.map((l) => l.message.split(' ')[0])).toEqual(['0', '1', '2', '3', '4', 'Error']);
    expect(r.got.at(-1)!.message).toBe('Error L10 (output buffer overflow): 2 messages dropped since T5.');
  });
});
