// Why: each app's bare repository at $MINIK_HOME/repos/APP.git, made with the app and deleted with it;
// the daemon owns them so `up`, `apps:create` and `apps:destroy` keep app and repository in step.
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { validateAppName } from '../core/names.js';
import { preReceiveHook, type HookPaths } from './hook.js';
import { requireGit } from './version.js';

/** What ensure() found and did. */
export interface RepoState {
  path: string;
  /** The repository did not exist and was made now. */
  created: boolean;
  /** The repository existed but its hook was missing or named other paths, and was rewritten. */
  hookRepaired: boolean;
}

/** The per-app repositories; the daemon's only git capability (see main.ts). */
export class GitRepos {
  constructor(private readonly paths: HookPaths) {}

  /** Where the app's repository lives (the git remote URL). */
  path(app: string): string {
    return join(this.paths.home, 'repos', `${validateAppName(app)}.git`);
  }

  /** Makes the bare repository if missing and (re)writes its hook; throws when git is missing or too old. */
  async ensure(app: string): Promise<RepoState> {
    await requireGit();
    const dir = this.path(app);
    const created = !(await stat(join(dir, 'HEAD')).catch(() => null));
    if (created) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await git(dir, ['init', '--bare', '--quiet']);
      // A clone of the repository checks out main, the branch Heroku's docs push.
      await git(dir, ['symbolic-ref', 'HEAD', 'refs/heads/main']);
    }
    // Without it `git push -o no-cache` dies with "the receiving end does not support push options".
    await git(dir, ['config', 'receive.advertisePushOptions', 'true']);
    const hook = join(dir, 'hooks', 'pre-receive');
    const want = preReceiveHook(app, this.paths);
    const have = await readFile(hook, 'utf8').catch(() => null);
    if (have !== want) {
      await mkdir(join(dir, 'hooks'), { recursive: true });
      await writeFile(hook, want, { mode: 0o755 });
      await chmod(hook, 0o755);
    }
    return { path: dir, created, hookRepaired: !created && have !== want };
  }

  /** Deletes the app's repository (apps:destroy). */
  async remove(app: string): Promise<void> {
    await rm(this.path(app), { recursive: true, force: true });
  }
}

function git(dir: string, args: string[]): Promise<unknown> {
  return execa('git', ['--git-dir', dir, ...args], { cwd: dir });
}
