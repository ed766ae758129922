// Why: the git operations the CLI runs on the user's side: find the work tree, point a remote at an
// app's repository, and (inside the hook) read a pushed commit out of quarantine.
import { execa } from 'execa';
import { invalid, MinikError } from '../core/errors.js';

/** The top folder of the git work tree holding `dir`, or null (not a work tree, or no git at all). */
export async function gitWorkTree(dir: string): Promise<string | null> {
  const r = await execa('git', ['rev-parse', '--is-inside-work-tree', '--show-toplevel'], { cwd: dir, reject: false }).catch(() => null);
  if (!r || r.exitCode !== 0) return null;
  const [inside, top] = String(r.stdout).split('\n');
  return inside === 'true' && top ? top : null;
}

/** The URL of a git remote of the work tree holding `dir`, or null. */
export async function remoteUrl(dir: string, name: string): Promise<string | null> {
  const r = await execa('git', ['remote', 'get-url', name], { cwd: dir, reject: false }).catch(() => null);
  return r?.exitCode === 0 ? String(r.stdout).trim() : null;
}

/** Checks a remote name the way a user would type it; throws naming the value. */
export function validateRemoteName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name) || name.includes('..') || name.endsWith('.lock')) {
    throw invalid(`'${name}' is not a usable git remote name`, 'use letters, digits, ., - and _, e.g. -r minik');
  }
  return name;
}

/** Adds the remote, or re-points it when it exists with another URL. */
export async function setRemote(dir: string, name: string, url: string): Promise<'added' | 'replaced' | 'unchanged'> {
  validateRemoteName(name);
  const now = await execa('git', ['remote', 'get-url', name], { cwd: dir, reject: false });
  if (now.exitCode === 0) {
    if (String(now.stdout).trim() === url) return 'unchanged';
    await execa('git', ['remote', 'set-url', name, url], { cwd: dir });
    return 'replaced';
  }
  await execa('git', ['remote', 'add', name, url], { cwd: dir });
  return 'added';
}

/**
 * Writes the files of commit `oid` into `dir`. Run inside the pre-receive hook, with its environment: the
 * pushed objects are in git's quarantine, visible only through the hook's GIT_OBJECT_DIRECTORY variables.
 * `git archive` writes no .git, so none reaches the slug.
 */
export async function extractCommit(oid: string, dir: string, repo = process.cwd()): Promise<void> {
  if (!/^[0-9a-f]{40,64}$/.test(oid)) throw invalid(`'${oid}' is not a commit id`, 'the hook must be run by git receive-pack');
  const archive = execa('git', ['archive', '--format=tar', oid], { cwd: repo, buffer: { stdout: false }, reject: false });
  const [git, tar] = await Promise.all([archive, archive.pipe('tar', ['-x', '-C', dir], { reject: false })]);
  const failed = git.failed ? git : tar.failed ? tar : null;
  if (failed) {
    // git's own reason ("not a valid object name") when it failed; tar's only when git did not.
    const why = String(failed.stderr ?? '').trim().split('\n').pop() || failed.shortMessage;
    throw new MinikError(`could not read the pushed commit ${oid.slice(0, 7)}: ${why}`, {
      hint: 'check that git and tar are installed and on the PATH of the shell you push from', code: 'git_archive',
    });
  }
}
