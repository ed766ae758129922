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
