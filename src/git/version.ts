// Why: git push deploys rely on the pre-receive quarantine (git 2.13) and push options; an older or
// missing git must be named plainly instead of failing somewhere inside a push.
import { execa } from 'execa';
import { MinikError } from '../core/errors.js';

/** The oldest git whose pre-receive hooks see pushed objects in quarantine and support push options. */
export const MIN_GIT: readonly [number, number] = [2, 13];

/** `git version 2.39.5` → [2, 39]; null when the text is not git's version line. */
export function parseGitVersion(text: string): [number, number] | null {
  const m = /git version (\d+)\.(\d+)/.exec(text);
  return m ? [Number(m[1]), Number(m[2])] : null;
}

/** True when `v` is at least MIN_GIT. */
export function gitIsRecentEnough(v: readonly [number, number]): boolean {
  return v[0] > MIN_GIT[0] || (v[0] === MIN_GIT[0] && v[1] >= MIN_GIT[1]);
}

/** Runs `git --version`; throws a MinikError saying what to install when git is missing or too old. */
export async function requireGit(): Promise<string> {
  const need = `git ${MIN_GIT.join('.')} or newer`;
  const r = await execa('git', ['--version'], { reject: false });
  if (r.failed && (r.code === 'ENOENT' || r.exitCode === undefined)) {
    throw new MinikError(`git push deploys need ${need}, and git is not installed (no 'git' on PATH)`, {
      hint: 'install git (e.g. apt-get install git), or deploy the folder with minik up', code: 'git_missing',
    });
  }
  const v = parseGitVersion(String(r.stdout));
  if (!v || !gitIsRecentEnough(v)) {
    throw new MinikError(`git push deploys need ${need}, but 'git --version' says '${String(r.stdout).trim() || r.stderr}'`, {
      hint: 'upgrade git, or deploy the folder with minik up', code: 'git_too_old',
    });
  }
  return `${v[0]}.${v[1]}`;
}
