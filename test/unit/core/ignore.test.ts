import { describe, expect, it } from 'vitest';
import { ignoreMatcher, ignoreRules } from '../../../src/core/ignore.js';

describe('ignoreMatcher (.slugignore, .gitignore: git\'s rules)', () => {
  const m = ignoreMatcher(ignoreRules('# comment\n\n*.log\ntmp/\n/docs\nbuild/out\n**/secret.txt\n!keep.log\n'));

  it('matches names anywhere unless anchored, and everything inside a matched folder', () => {
    expect(m('debug.log')).toBe(true);
    expect(m('a/b/debug.log')).toBe(true);
    expect(m('tmp', true)).toBe(true);
    expect(m('src/tmp/x.js')).toBe(true);
    expect(m('docs/readme.md')).toBe(true);
    expect(m('src/docs/readme.md')).toBe(false);
    expect(m('build/out/x')).toBe(true);
    expect(m('x/secret.txt')).toBe(true);
  });

  it('re-includes what a `!` rule names', () => {
    expect(m('keep.log')).toBe(false);
    expect(m('logs/keep.log')).toBe(false);
    expect(m('other.log')).toBe(true);
  });

  it('treats `dir/` as a folder rule: a file of that name is kept', () => {
    expect(m('tmp')).toBe(false);
    expect(m('a/tmp', true)).toBe(true);
  });

  it('cannot re-include a file inside an ignored folder, as git', () => {
    const g = ignoreMatcher(['assets/', '!assets/keep.png']);
    expect(g('assets/keep.png')).toBe(true);
    const h = ignoreMatcher(['assets/*', '!assets/keep.png']);
    expect(h('assets/keep.png')).toBe(false);
    expect(h('assets/big.psd')).toBe(true);
  });

  it('leaves other paths alone', () => {
    expect(m('server.js')).toBe(false);
    expect(m('logs.js')).toBe(false);
    expect(m('tmpfile')).toBe(false);
  });

  it('matches nothing without rules, and reads CRLF files', () => {
    expect(ignoreMatcher(ignoreRules('# only a comment\n'))('anything')).toBe(false);
    expect(ignoreRules('a\r\n#c\r\n\r\n!b\r\n')).toEqual(['a', '!b']);
  });
});
