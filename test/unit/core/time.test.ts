import { describe, expect, it } from 'vitest';
import { formatLogLine, logTimestamp, parseLogLine } from '../../../src/core/time.js';
import type { LogLine } from '../../../src/core/types.js';

describe('log timestamps', () => {
  it('formats RFC 5424 time with microseconds, also within one cached second', () => {
    const ms = Date.UTC(2026, 10, 23, 8, 0, 0, 677);
    expect(logTimestamp(ms + 0.02)).toBe('2026-11-23T08:00:00.677020+00:00');
    expect(logTimestamp(ms + 0.5)).toBe('2026-11-23T08:00:00.677500+00:00');
    expect(logTimestamp(ms + 1.0015)).toBe('2026-11-23T08:00:00.678001+00:00'); // 1.0015: 1.001 is 1.000999… in floating point
    expect(logTimestamp(ms - 677 + 0.004)).toBe('2026-11-23T08:00:00.000004+00:00');
    expect(logTimestamp(ms + 323.5)).toBe('2026-11-23T08:00:01.000500+00:00'); // the next second
    expect(logTimestamp()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
  });

  it('formats a line as minik logs prints it', () => {
    expect(formatLogLine({ time: 'T', source: 'app', process: 'web.1', message: 'hi' })).toBe('T app[web.1]: hi');
  });

  it('reads back exactly what formatLogLine wrote, and nothing that is not such a line', () => {
    const odd: LogLine = { time: '2026-11-23T08:00:00.000001+00:00', source: 'minik', process: 'router', message: 'é€😀 a]: b [c] \r tab\there\u2028' };
    expect(parseLogLine(formatLogLine(odd))).toEqual(odd);
    expect(parseLogLine(formatLogLine({ ...odd, process: '', message: '' }))).toEqual({ ...odd, process: '', message: '' });
    for (const bad of ['', 'not a log line', 'T app web.1: x', 'T a\tpp[web.1]: x', 'T app[we]b.1]: x', 'T app[web.1]:', ' app[web.1]: x']) {
      expect(parseLogLine(bad), bad).toBeNull();
    }
  });
});
