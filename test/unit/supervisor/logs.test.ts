// LogHub: splitting, stamping, ring, filters, follow, files, rotation, read-back after a restart.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogHub, MAX_LINE_BYTES, splitMessage } from '../../../src/supervisor/logs.js';
import type { LogLine } from '../../../src/core/types.js';
import { tempDir } from './helpers.js';

let dir: string;
const hubs: LogHub[] = [];
const hub = (opts?: { ringSize?: number; maxFileBytes?: number }) => {
  const h = new LogHub(dir, opts);
  hubs.push(h);
  return h;
};
const msgs = (lines: LogLine[]) => lines.map((l) => l.message);

beforeEach(() => {
  dir = tempDir('minik-logs-');
});
afterEach(async () => {
  await Promise.all(hubs.splice(0).map((h) => h.close()));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('write', () => {
  it('splits on LF and CRLF, drops one trailing newline, and stamps each line', () => {
    const logs = hub();
    logs.write('demo', 'app', 'web.1', 'one\r\ntwo\n\nfour\n');
    const lines = logs.recent('demo');
    expect(msgs(lines)).toEqual(['one', 'two', '', 'four']);
    for (const l of lines) {
      expect(l.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
      expect(l).toMatchObject({ source: 'app', process: 'web.1' });
    }
  });

  it('splits lines over 10,000 bytes without cutting UTF-8 characters', () => {
    expect(splitMessage('x'.repeat(25_000)).map((s) => s.length)).toEqual([10_000, 10_000, 5_000]);
    const accented = 'é'.repeat(6_000); // 12,000 bytes
    const chunks = splitMessage(accented);
    expect(chunks.length).toBe(2);
    for (const c of chunks) expect(Buffer.byteLength(c)).toBeLessThanOrEqual(MAX_LINE_BYTES);
    expect(chunks.join('')).toBe(accented);
  });

  it('keeps only ringSize lines; recent returns 100 by default and at most the ring', () => {
    const logs = hub({ ringSize: 150 });
    for (let i = 0; i < 200; i++) logs.write('demo', 'app', 'web.1', `line ${i}`);
    expect(logs.recent('demo')).toHaveLength(100);
    expect(msgs(logs.recent('demo', { n: 1000 }))[0]).toBe('line 50');
    expect(msgs(logs.recent('demo', { n: 2 }))).toEqual(['line 198', 'line 199']);
    expect(logs.recent('other')).toEqual([]);
  });
});

describe('filters', () => {
  const seed = (logs: LogHub) => {
    logs.write('demo', 'app', 'web.1', 'w1');
    logs.write('demo', 'app', 'web.2', 'w2');
    logs.write('demo', 'app', 'webby.1', 'wb');
    logs.write('demo', 'minik', 'web.1', 'state');
    logs.write('demo', 'minik', 'router', 'at=info');
    logs.write('demo', 'app', 'worker.1', 'wk');
  };

  it('filter by dyno name, by process type, and by source', () => {
    const logs = hub();
    seed(logs);
    expect(msgs(logs.recent('demo', { process: 'web.1' }))).toEqual(['w1', 'state']);
    expect(msgs(logs.recent('demo', { process: 'web' }))).toEqual(['w1', 'w2', 'state']);
    expect(msgs(logs.recent('demo', { source: 'app' }))).toEqual(['w1', 'w2', 'wb', 'wk']);
    expect(msgs(logs.recent('demo', { source: 'minik' }))).toEqual(['state', 'at=info']);
    expect(msgs(logs.recent('demo', { source: 'router' }))).toEqual(['at=info']);
    expect(msgs(logs.recent('demo', { process: 'web', source: 'app', n: 1 }))).toEqual(['w2']);
  });

  it('follow delivers matching new lines until unsubscribed', () => {
    const logs = hub();
    const got: string[] = [];
    const all: string[] = [];
    const off = logs.follow('demo', { process: 'web' }, (l) => got.push(l.message));
    logs.follow('demo', {}, (l) => all.push(l.message));
    logs.follow('demo', {}, () => {
      throw new Error('a broken follower');
    });
    seed(logs);
    off();
    logs.write('demo', 'app', 'web.1', 'after');
    logs.write('else', 'app', 'web.1', 'other app');
    expect(got).toEqual(['w1', 'w2', 'state']);
    expect(all).toEqual(['w1', 'w2', 'wb', 'state', 'at=info', 'wk', 'after']);
  });
});

describe('files', () => {
  it('appends formatted lines and a fresh LogHub reads them back', async () => {
    const first = hub();
    first.write('demo', 'app', 'web.1', 'Listening on 5000');
    first.write('demo', 'minik', 'web.1', 'State changed from starting to up');
    const before = first.recent('demo');
    await first.close();
    const text = fs.readFileSync(path.join(dir, 'demo.log'), 'utf8');
    expect(text).toMatch(/^\S+ app\[web\.1\]: Listening on 5000\n\S+ minik\[web\.1\]: State changed from starting to up\n$/);

    const second = hub();
    expect(second.recent('demo')).toEqual(before);
    second.write('demo', 'app', 'web.1', 'after restart');
    expect(msgs(second.recent('demo'))).toEqual(['Listening on 5000', 'State changed from starting to up', 'after restart']);
  });

  it("reads back, after a restart, exactly the lines the ring held: a CR or U+2028 inside a line, a ']: ' in it; skips what is not a line", async () => {
    const first = hub();
    for (const m of ['progress 50%\r60%\r70%', 'para\u2028graph\u2029end', 'a]: b [c]', '', 'done']) first.write('demo', 'app', 'web.1', m);
    const before = first.recent('demo');
    await first.close();
    const file = path.join(dir, 'demo.log');
    fs.appendFileSync(file, 'not a log line\n2026-11-23T08:00:00.000000+00:00 app web.1: no brackets\n2026-11-23T08:00:00.000000+00:00 a\tpp[web.1]: x\n');
    fs.appendFileSync(file, '2026-11-23T08:00:00.000000+00:00 app[we]b.1]: x\n2026-11-23T08:00:00.000000+00:00 app[web.1]:');
    expect(hub().recent('demo')).toEqual(before);
  });

  it('rotates at maxFileBytes to one .1 generation and reads both back', async () => {
    const first = hub({ maxFileBytes: 2000 });
    for (let i = 0; i < 100; i++) first.write('demo', 'app', 'web.1', `line ${String(i).padStart(3, '0')}`);
    await first.close();
    const file = path.join(dir, 'demo.log');
    expect(fs.statSync(file).size).toBeLessThan(2000);
    expect(fs.existsSync(`${file}.1`)).toBe(true);
    expect(fs.existsSync(`${file}.2`)).toBe(false);
    const all = [...fs.readFileSync(`${file}.1`, 'utf8').split('\n'), ...fs.readFileSync(file, 'utf8').split('\n')];
    const last = all.filter(Boolean).map((l) => l.slice(l.indexOf(': ') + 2));
    expect(last.at(-1)).toBe('line 099');
    expect(last).toEqual([...last].sort()); // in order across the rename

    const second = hub({ maxFileBytes: 2000 });
    const back = msgs(second.recent('demo', { n: 1500 }));
    expect(back.at(-1)).toBe('line 099');
    expect(back).toEqual(last);
  });

  it('remove() forgets the ring and deletes the files', async () => {
    const logs = hub({ maxFileBytes: 200 });
    for (let i = 0; i < 20; i++) logs.write('demo', 'app', 'web.1', `line ${i}`);
    logs.remove('demo');
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(logs.recent('demo')).toEqual([]);
    expect(() => logs.write('../x', 'app', 'web.1', 'x')).toThrow(/invalid/);
  });
});
