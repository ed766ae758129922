// Issue 18, defect 2: an app's recent lines live as bytes off the JS heap, numbered, oldest dropped first.
import { describe, expect, it } from 'vitest';
import { formatLogLine, parseLogLine } from '../../../src/core/time.js';
import type { LogLine } from '../../../src/core/types.js';
import { encodedBytes, LogRing } from '../../../src/supervisor/log-ring.js';

const line = (i: number, message = `line ${i}`): LogLine => ({ time: `2026-11-23T08:00:00.${String(i).padStart(6, '0')}+00:00`, source: 'app', process: 'web.1', message });
const all = (r: LogRing) => Array.from({ length: r.length }, (_, k) => r.line(r.oldest + k));

describe('LogRing', () => {
  it('keeps the newest maxLines lines, oldest first, numbered from 0', () => {
    const r = new LogRing(3, 1 << 20);
    for (let i = 0; i < 7; i++) r.push(line(i));
    expect(r.length).toBe(3);
    expect([r.oldest, r.next]).toEqual([4, 7]);
    expect(all(r).map((l) => l.message)).toEqual(['line 4', 'line 5', 'line 6']);
    expect(() => r.line(3)).toThrow(/not in the ring/);
  });

  it('gives back exactly the line it was given, as the file shows it', () => {
    const r = new LogRing(10, 1 << 20);
    const odd: LogLine = { time: '2026-11-23T08:00:00.000001+00:00', source: 'minik', process: 'router', message: 'é€😀 a]: b [c] \r tab\there' };
    r.push(odd);
    const bytes = Buffer.alloc(r.size(0));
    expect(r.copy(0, bytes, 0)).toBe(bytes.length);
    expect(bytes.toString('utf8')).toBe(`${formatLogLine(odd)}\n`);
    expect(bytes.length).toBe(encodedBytes(odd));
    expect(r.line(0)).toEqual(odd);
    expect(r.time(0)).toBe(odd.time);
    expect(parseLogLine(formatLogLine(odd))).toEqual(odd);
  });

  it('drops the oldest lines by bytes once it reached maxBytes, across wrap-around, and never corrupts a kept line', () => {
    const r = new LogRing(1000, 64 * 1024);
    let i = 0;
    for (; i < 3000; i++) r.push(line(i, `line ${i} ${'x'.repeat(i % 7 === 0 ? 900 : 150)}`));
    expect(r.next).toBe(3000);
    expect(r.length).toBeLessThan(1000);
    expect(r.bytesFrom(r.oldest)).toBeLessThanOrEqual(64 * 1024);
    const kept = all(r);
    kept.forEach((l, k) => expect(l.message.startsWith(`line ${r.oldest + k} `)).toBe(true));
    expect(kept.at(-1)!.message).toMatch(/^line 2999 /);
  });

  it('always holds an unbroken run of the newest lines, byte for byte, whatever their sizes (seeded random)', () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    for (const [maxLines, maxBytes] of [[50, 20_000], [500, 64 * 1024], [2000, 200_000]] as const) {
      const r = new LogRing(maxLines, maxBytes);
      const pushed: LogLine[] = [];
      for (let i = 0; i < 5000; i++) {
        const l = line(i, `${i} ${'é'.repeat(rand(3))}${'z'.repeat(rand(rand(10) === 0 ? 9000 : 300))}`);
        pushed.push(l);
        r.push(l);
        if (i % 97 === 0 || i === 4999) {
          expect(r.next).toBe(i + 1);
          expect(all(r)).toEqual(pushed.slice(r.oldest));
          expect(r.length).toBeLessThanOrEqual(maxLines);
          expect(r.bytesFrom(r.oldest)).toBeLessThanOrEqual(maxBytes);
        }
      }
    }
  });

  it('grows from 64 KB while it holds fewer than maxLines, up to maxBytes', () => {
    const r = new LogRing(1500, 4 * 1024 * 1024);
    for (let i = 0; i < 1500; i++) r.push(line(i, 'y'.repeat(1000))); // 1.5 MB
    expect(r.length).toBe(1500);
    expect(r.bytesFrom(0)).toBeGreaterThan(1_500_000);
    expect(r.line(0).time).toBe(line(0).time);
    r.push(line(1500));
    expect([r.oldest, r.length]).toEqual([1, 1500]); // the line cap, not the bytes, dropped line 0
  });

  it('fills from an initial list, keeping only what fits, and holds nothing with capacity 0', () => {
    const r = new LogRing(2, 1 << 20, [line(1), line(2), line(3)]);
    expect(all(r).map((l) => l.message)).toEqual(['line 2', 'line 3']);
    const none = new LogRing(0, 1 << 20);
    none.push(line(1));
    expect(none.length).toBe(0);
  });
});
