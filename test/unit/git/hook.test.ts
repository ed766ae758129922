import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { preReceiveHook, shQuote } from '../../../src/git/hook.js';
import { gitIsRecentEnough, parseGitVersion } from '../../../src/git/version.js';
import { RefTurns } from '../../../src/git/turns.js';

describe('the pre-receive hook', () => {
  it('calls node and minik by absolute paths with this MINIK_HOME, quoted for sh; says how to repair it when they moved', () => {
    const dir = mkdtempSync(join(tmpdir(), 'minik-hook-'));
    try {
      // A fake "node" that prints its arguments and MINIK_HOME, to run the hook as git would.
      const node = join(dir, "no de's");
      writeFileSync(node, '#!/bin/sh\nprintf "%s|" "$MINIK_HOME" "$@"\n');
      chmodSync(node, 0o755);
      const hook = join(dir, 'pre-receive');
      const cli = join(dir, 'mi nik');
      writeFileSync(cli, '');
      writeFileSync(hook, preReceiveHook('shop', { node, cli, home: "/h o'me" }), { mode: 0o755 });
      const out = execFileSync(hook, { env: { PATH: '/usr/bin:/bin', MINIK_HOME: '/elsewhere' } }).toString();
      expect(out).toBe(`/h o'me|${cli}|_git-receive|shop|`);
      rmSync(cli);
      const moved = spawnSync(hook, { env: { PATH: '/usr/bin:/bin' } });
      expect(moved.status).toBe(1);
      expect(moved.stderr.toString()).toBe(`minik: this repository's hook runs ${node} and ${cli}, and one of them has moved\n`
        + "hint: run 'minik apps:create shop' to repair the hook, then push again\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('quotes single quotes', () => {
    expect(shQuote("it's")).toBe(`'it'\\''s'`);
  });
});

describe('git version', () => {
  it('parses git --version and requires 2.13', () => {
    expect(parseGitVersion('git version 2.39.5')).toEqual([2, 39]);
    expect(parseGitVersion('git version 2.13.0.windows.1')).toEqual([2, 13]);
    expect(parseGitVersion('hg 6')).toBeNull();
    expect(gitIsRecentEnough([2, 13])).toBe(true);
    expect(gitIsRecentEnough([2, 12])).toBe(false);
    expect(gitIsRecentEnough([1, 99])).toBe(false);
    expect(gitIsRecentEnough([3, 0])).toBe(true);
  });
});

describe('RefTurns', () => {
  it('refuses a push of a ref that another push deployed while it waited', () => {
    const t = new RefTurns();
    const first = t.arrive('shop', 'refs/heads/main');
    const second = t.arrive('shop', 'refs/heads/main');
    const other = t.arrive('shop', 'refs/heads/master');
    first();
    t.done('shop', 'refs/heads/main');
    expect(second).toThrow('main of shop was deployed by another push while this one waited, so this push is out of date');
    expect(other).not.toThrow();
    expect(t.arrive('shop', undefined)).not.toThrow();
  });
});
