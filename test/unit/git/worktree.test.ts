// Runs the real git on a temporary repository: extracting a commit and pointing remotes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractCommit, gitWorkTree, remoteUrl, setRemote, validateRemoteName } from '../../../src/git/worktree.js';

let dir: string;
let repo: string;
let sha: string;
const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
const git = (args: string[], cwd = repo) => execFileSync('git', args, { cwd, env }).toString().trim();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'minik-git-'));
  repo = join(dir, 'work');
  execFileSync('git', ['init', '-q', repo]);
  writeFileSync(join(repo, 'Procfile'), 'web: node server.js\n');
  git(['add', '-A']);
  git(['commit', '-qm', 'first']);
  sha = git(['rev-parse', 'HEAD']);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('extractCommit', () => {
  it('writes the commit\'s files and no .git', async () => {
    const out = mkdtempSync(join(dir, 'out-'));
    await extractCommit(sha, out, repo);
    expect(readdirSync(out)).toEqual(['Procfile']);
    expect(readFileSync(join(out, 'Procfile'), 'utf8')).toBe('web: node server.js\n');
  });

  it('names the commit and git\'s reason when it cannot be read', async () => {
    await expect(extractCommit('b'.repeat(40), mkdtempSync(join(dir, 'out-')), repo))
      .rejects.toThrow(/^could not read the pushed commit bbbbbbb: fatal: /);
    await expect(extractCommit('HEAD; rm -rf /', dir, repo)).rejects.toThrow("'HEAD; rm -rf /' is not a commit id");
  });
});

describe('remotes', () => {
  it('finds the work tree top, adds a remote, then re-points it', async () => {
    expect(await gitWorkTree(repo)).toBe(repo);
    expect(await gitWorkTree(dir)).toBeNull();
    expect(await setRemote(repo, 'minik', '/a/shop.git')).toBe('added');
    expect(await setRemote(repo, 'minik', '/a/shop.git')).toBe('unchanged');
    expect(await setRemote(repo, 'minik', '/b/shop.git')).toBe('replaced');
    expect(await remoteUrl(repo, 'minik')).toBe('/b/shop.git');
    expect(await remoteUrl(repo, 'none')).toBeNull();
  });

  it('refuses remote names git would not take', () => {
    expect(validateRemoteName('prod')).toBe('prod');
    for (const bad of ['-x', 'a b', 'a..b', 'x.lock', '']) expect(() => validateRemoteName(bad)).toThrow('is not a usable git remote name');
  });
});
