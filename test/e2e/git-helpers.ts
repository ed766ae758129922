// Why: git push e2e tests drive the real git against a work tree of a fixture, with a fixed identity so
// commits work on a fresh machine, and measure a push under load like the zero-downtime test.
import { execa, type Result } from 'execa';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Environment for git: an identity, no user or system config, and minik's own variables. */
export function gitEnv(minikEnv: Record<string, string>): Record<string, string> {
  return {
    ...minikEnv, GIT_AUTHOR_NAME: 'minik test', GIT_AUTHOR_EMAIL: 'test@minik.invalid',
    GIT_COMMITTER_NAME: 'minik test', GIT_COMMITTER_EMAIL: 'test@minik.invalid', GIT_CONFIG_NOSYSTEM: '1',
  };
}

/** Runs git in `dir`; never rejects (tests assert on the exit code and output). */
export function git(dir: string, args: string[], env: Record<string, string>): Promise<Result> {
  return execa('git', args, { cwd: dir, env, reject: false, timeout: 180_000, stdin: 'ignore' });
}

/** Makes `dir` a repository on main with everything committed. */
export async function initRepo(dir: string, env: Record<string, string>): Promise<void> {
  for (const args of [['init', '-q'], ['symbolic-ref', 'HEAD', 'refs/heads/main'], ['add', '-A'], ['commit', '-qm', 'first']]) {
    const r = await git(dir, args, env);
    if (r.exitCode !== 0) throw new Error(`git ${args.join(' ')}: ${String(r.stderr)}`);
  }
}

/** Replaces `from` by `to` in a file and commits it; returns the new commit's sha. */
export async function commitEdit(dir: string, file: string, from: RegExp | string, to: string, env: Record<string, string>): Promise<string> {
  const text = await readFile(join(dir, file), 'utf8');
  await writeFile(join(dir, file), text.replace(from, to));
  const r = await git(dir, ['commit', '-qam', `edit ${file}`], env);
  if (r.exitCode !== 0) throw new Error(`git commit: ${String(r.stderr)}${String(r.stdout)}`);
  return head(dir, env);
}

/** The sha HEAD points at. */
export async function head(dir: string, env: Record<string, string>, rev = 'HEAD'): Promise<string> {
  return String((await git(dir, ['rev-parse', rev], env)).stdout).trim();
}

/** The sha a branch points at in a (bare) repository, or '' when it does not exist. */
export async function remoteRef(repo: string, branch: string, env: Record<string, string>): Promise<string> {
  const r = await git(repo, ['--git-dir', repo, 'rev-parse', '--verify', '-q', `refs/heads/${branch}`], env);
  return r.exitCode === 0 ? String(r.stdout).trim() : '';
}

export { load } from './harness.js';
