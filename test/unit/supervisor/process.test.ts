// Pure helpers: line splitting of pipe chunks, the sh -c wrapper, exit statuses.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LineSplitter } from '../../../src/supervisor/lines.js';
import { exitStatus, isSimpleCommand, wrapCommand } from '../../../src/supervisor/process.js';
import { tempDir } from './helpers.js';

describe('LineSplitter', () => {
  it('joins lines across chunks, strips CR, keeps UTF-8 intact and flushes the rest at end', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l));
    const euro = Buffer.from('€'); // 3 bytes
    s.push(Buffer.from('hel'));
    s.push(Buffer.concat([Buffer.from('lo\r\nprice '), euro.subarray(0, 1)]));
    s.push(Buffer.concat([euro.subarray(1), Buffer.from('\n\ntail')]));
    expect(lines).toEqual(['hello', 'price €', '']);
    s.end();
    expect(lines).toEqual(['hello', 'price €', '', 'tail']);
    s.end();
    expect(lines).toHaveLength(4);
  });

  it('emits an endless line every 64 KB without cutting a UTF-8 character, and keeps CR inside a line', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l));
    const long = `a${'€'.repeat(30_000)}`; // 90,001 bytes: 64 KB falls inside a character
    s.push(Buffer.from(long).subarray(0, 70_000));
    expect(lines).toHaveLength(1);
    expect(Buffer.byteLength(lines[0]!)).toBeLessThanOrEqual(64 * 1024);
    expect(lines[0]!.endsWith('€')).toBe(true);
    s.push(Buffer.concat([Buffer.from(long).subarray(70_000), Buffer.from('\na\rb\r\n')]));
    expect(lines.slice(0, 2).join('')).toBe(long);
    expect(lines[2]).toBe('a\rb');
    s.push('text chunks work too\n');
    expect(lines[3]).toBe('text chunks work too');
  });
});

describe('wrapCommand', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('execs a simple command and leaves compound ones to the shell', () => {
    const dir = tempDir();
    dirs.push(dir);
    expect(wrapCommand(dir, 'node server.js')).toBe('exec node server.js');
    expect(wrapCommand(dir, `node -e "require('x')(1)"`)).toBe(`exec node -e "require('x')(1)"`);
    expect(wrapCommand(dir, 'npm start && echo done')).toBe('npm start && echo done');
    for (const c of ['a; b', 'a | b', 'sleep 1 &', 'FOO=1 node x', 'cd app', '(a)', 'echo $(date)', 'if true; then a; fi']) {
      expect(isSimpleCommand(c)).toBe(false);
    }
  });

  it('sources only the profile files that exist', () => {
    const dir = tempDir();
    dirs.push(dir);
    fs.mkdirSync(path.join(dir, '.profile.d'));
    expect(wrapCommand(dir, 'web')).toBe('exec web'); // an empty .profile.d adds nothing
    fs.writeFileSync(path.join(dir, '.profile.d', 'x.sh'), '');
    expect(wrapCommand(dir, 'web')).toBe('for f in .profile.d/*.sh; do [ -r "$f" ] && . "$f"; done; exec web');
    fs.writeFileSync(path.join(dir, '.profile'), '');
    expect(wrapCommand(dir, 'a && b')).toBe(
      'for f in .profile.d/*.sh; do [ -r "$f" ] && . "$f"; done; [ -r .profile ] && . ./.profile; a && b',
    );
  });
});

describe('exitStatus', () => {
  it('is the code, or 128 + the signal number', () => {
    expect(exitStatus({ code: 3, signal: null })).toBe(3);
    expect(exitStatus({ code: null, signal: 'SIGTERM' })).toBe(143);
    expect(exitStatus({ code: null, signal: 'SIGKILL' })).toBe(137);
  });
});
