import { describe, expect, it } from 'vitest';
import { colorEnabled, makePalette, stripAnsi, visibleWidth } from '../../../src/cli/color.js';
import {
  formatBytes, formatDuration, isoWithAgo, joinAnd, keyValues, relativeTime, section, table,
} from '../../../src/cli/format.js';
import { Action } from '../../../src/cli/action.js';
import { formatError } from '../../../src/cli/errors.js';
import { MinikError } from '../../../src/core/errors.js';

const plain = makePalette(false);
const colour = makePalette(true);

describe('colour', () => {
  it('is on only for a TTY without NO_COLOR', () => {
    expect(colorEnabled({ isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ isTTY: false }, {})).toBe(false);
    expect(colorEnabled({}, {})).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '' })).toBe(true); // no-color.org: empty means unset
  });

  it('styles nothing when off and wraps in SGR codes when on', () => {
    expect(plain.red('x')).toBe('x');
    expect(colour.red('x')).toBe('\x1b[31mx\x1b[39m');
    expect(colour.dim('hint')).toBe('\x1b[2mhint\x1b[22m');
  });

  it('measures visible width: ANSI 0, CJK and emoji 2, combining marks 0', () => {
    expect(visibleWidth(colour.bold('web.1'))).toBe(5);
    expect(visibleWidth('日本')).toBe(4);
    expect(visibleWidth('🚀x')).toBe(3);
    expect(visibleWidth('e\u0301')).toBe(1);
    expect(visibleWidth('⬢ app')).toBe(5);
    expect(stripAnsi(colour.green('up'))).toBe('up');
  });
});

describe('table', () => {
  it('aligns columns two spaces apart under a header and a rule, trimming trailing spaces', () => {
    const out = table(['NAME', 'STATE', 'CMD'], [['web.1', 'up', 'node a.js'], ['worker.10', 'crashed', 'x']], plain);
    expect(out.split('\n')).toEqual([
      'NAME       STATE    CMD',
      '─────────  ───────  ─────────',
      'web.1      up       node a.js',
      'worker.10  crashed  x',
    ]);
  });

  it('aligns by visible width with colour codes and wide characters', () => {
    const out = table(['A', 'B'], [[colour.green('up'), '1'], ['日本語', '2'], ['', '3']], colour);
    const lines = out.split('\n').map(stripAnsi);
    expect(lines).toEqual(['A       B', '──────  ─', 'up      1', '日本語  2', '        3']);
    expect(out).toContain('\x1b[1mA\x1b[22m'); // bold header on a TTY
  });

  it('prints only the header and rule when there are no rows', () => {
    expect(table(['NAME', 'URL'], [], plain)).toBe('NAME  URL\n────  ───');
  });
});

describe('key/value blocks and sections', () => {
  it('aligns values and indents continuation lines', () => {
    const out = keyValues([['Web URL', 'http://a.localhost:7080'], ['Process types', 'web: npm start\nworker: node w.js'], ['Buildpack', null]], plain);
    expect(out.split('\n')).toEqual([
      'Web URL:       http://a.localhost:7080',
      'Process types: web: npm start',
      '               worker: node w.js',
      'Buildpack:',
    ]);
  });

  it('prints Heroku-style section headers', () => {
    expect(section('⬢ app Config Vars', plain)).toBe('=== ⬢ app Config Vars');
  });
});

describe('times and sizes', () => {
  const now = Date.parse('2026-11-23T08:03:00Z');
  it('says how long ago, or how long until', () => {
    expect(relativeTime('2026-11-23T08:00:00Z', now)).toBe('3m ago');
    expect(relativeTime('2026-11-23T08:02:55Z', now)).toBe('5s ago');
    expect(relativeTime('2026-11-21T08:03:00Z', now)).toBe('2d ago');
    expect(relativeTime('2026-11-23T08:03:08Z', now)).toBe('in 8s');
    expect(relativeTime('not a time', now)).toBe('');
  });

  it('prints ISO times without milliseconds plus the relative time', () => {
    expect(isoWithAgo('2026-11-23T08:00:00.123Z', now)).toBe('2026-11-23T08:00:00Z (3m ago)');
    expect(isoWithAgo('2026-11-23T06:03:00+00:00', now)).toBe('2026-11-23T06:03:00Z (2h ago)');
  });

  it('formats durations and bytes', () => {
    expect(formatDuration(45)).toBe('45s');
    expect(formatDuration(200)).toBe('3m 20s');
    expect(formatDuration(7500)).toBe('2h 5m');
    expect(formatDuration(3 * 86400 + 4 * 3600)).toBe('3d 4h');
    expect(formatBytes(48 * 1024 * 1024)).toBe('48 MB');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2 * 1024 ** 3)).toBe('2 GB');
    expect(formatBytes(null)).toBe('');
  });

  it('joins names like a sentence', () => {
    expect(joinAnd(['A'])).toBe('A');
    expect(joinAnd(['A', 'B'])).toBe('A and B');
    expect(joinAnd(['A', 'B', 'C'])).toBe('A, B and C');
  });
});

describe('errors and progress lines', () => {
  it('prints minik: message and a hint line, dim only with colour', () => {
    const err = new MinikError("app 'x' not found", { hint: "see 'minik apps'" });
    expect(formatError(err, plain)).toBe("minik: app 'x' not found\nhint: see 'minik apps'");
    expect(formatError(err, colour)).toBe("minik: app 'x' not found\n\x1b[2mhint: see 'minik apps'\x1b[22m");
    expect(formatError(new Error('boom'), plain)).toBe('minik: boom');
    expect(formatError(new Error('boom'), plain, true)).toMatch(/^minik: boom\nError: boom\n\s+at /);
  });

  it('keeps "label... done" on one line, or repeats the label after streamed output', () => {
    const err: string[] = [];
    const out: string[] = [];
    const sink = (a: string[]) => ({ write: (s: string) => a.push(s) });
    new Action('Scaling dynos', sink(err), sink(out)).start().done(', now running web at 3');
    expect(err.join('')).toBe('Scaling dynos... done, now running web at 3\n');
    err.length = 0;
    const a = new Action('Setting A', sink(err), sink(out)).start();
    a.log('Running release command...');
    a.done(', v4');
    expect(err.join('')).toBe('Setting A... \nSetting A... done, v4\n');
    expect(out.join('')).toBe('Running release command...\n');
  });
});
