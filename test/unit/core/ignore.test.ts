import { describe, expect, it } from 'vitest';
import { ignoreMatcher } from '../../../src/core/ignore.js';

describe('ignoreMatcher (.slugignore, .gitignore)', () => {
  const m = ignoreMatcher(['# comment', '', '*.log', 'tmp/', '/docs', 'build/out', '**/secret.txt', '!keep.log']);

  it('matches names anywhere unless anchored', () => {
    expect(m('debug.log')).toBe(true);
    expect(m('a/b/debug.log')).toBe(true);
    expect(m('tmp')).toBe(true);
    expect(m('src/tmp/x.js')).toBe(true);
    expect(m('docs/readme.md')).toBe(true);
    expect(m('src/docs/readme.md')).toBe(false);
    expect(m('build/out/x')).toBe(true);
    expect(m('x/secret.txt')).toBe(true);
  });

  it('leaves other paths alone', () => {
    expect(m('server.js')).toBe(false);
    expect(m('logs.js')).toBe(false);
    expect(m('tmpfile')).toBe(false);
  });

  it('matches nothing without rules', () => {
    expect(ignoreMatcher(['# only a comment'])('anything')).toBe(false);
  });
});
