// Why: `minik git:remote` (re)points a git remote at an app's repository, as `heroku git:remote` does.
import type { RepoState } from '../../git/repos.js';
import { requireGit } from '../../git/version.js';
import { gitWorkTree, setRemote, validateRemoteName } from '../../git/worktree.js';
import { MinikError } from '../../core/errors.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { request } from '../client.js';
import { defineCommand } from '../command.js';
import { print } from '../format.js';

/** The remote `apps:create` and `up` add. */
export const DEFAULT_REMOTE = 'minik';

/** Points `name` in the work tree `top` at `url` and says what changed, in Heroku's words. */
export async function pointRemote(top: string, name: string, url: string): Promise<void> {
  const how = await setRemote(top, name, url);
  print(how === 'added' ? `Git remote ${name} added (${url})` : `set git remote ${name} to ${url}`);
}

/** `minik git:remote [-a APP] [-r NAME]`. */
export default defineCommand<{ app?: string; remote: string }>({
  command: 'git:remote',
  describe: "add or re-point a git remote at the app's repository",
  group: 'Git',
  builder: (y) => withApp(y).option('remote', { alias: 'r', type: 'string', default: DEFAULT_REMOTE, describe: 'the git remote to set' }),
  handler: async (argv) => {
    const name = validateRemoteName(String(argv.remote));
    await requireGit();
    const top = await gitWorkTree(process.cwd());
    if (!top) {
      throw new MinikError(`${process.cwd()} is not inside a git work tree`, { hint: 'run git init (and commit your app) first, or cd into its repository', code: 'invalid' });
    }
    const app = await resolveApp(argv);
    const repo = await request<RepoState>('PUT', appPath(app, '/repo'));
    await setRemote(top, name, repo.path);
    print(`set git remote ${name} to ${repo.path}`);
  },
});
