// Why: `minik apps:create [NAME]` makes an app (and its git repository) without deploying, as
// `heroku create` does; on an existing app it repairs the repository's hook.
import { realpathSync } from 'node:fs';
import { basename } from 'node:path';
import type { RepoState } from '../../git/repos.js';
import { gitWorkTree } from '../../git/worktree.js';
import { appNameFromDir, validateAppName } from '../../core/names.js';
import { stream } from '../client.js';
import { paletteFor } from '../color.js';
import { defineCommand } from '../command.js';
import { appLabel, print } from '../format.js';
import { appUrl } from '../paths.js';
import { DEFAULT_REMOTE, pointRemote } from './git-remote.js';

/** `minik apps:create [NAME]`. */
export default defineCommand<{ name?: string }>({
  command: 'apps:create [name]',
  describe: 'create an app (and its git repository) without deploying',
  group: 'Apps',
  aliases: ['create'],
  builder: (y) => y.positional('name', { type: 'string', describe: "app name (default: this folder's name)" }),
  handler: async (argv) => {
    const dir = realpathSync(process.cwd());
    const app = validateAppName(argv.name !== undefined ? String(argv.name) : appNameFromDir(basename(dir)));
    const p = paletteFor(process.stdout);
    const done = await stream<{ created?: boolean; repo?: RepoState | null }>(
      'POST', '/apps', { name: app, sourceDir: dir }, (e) => { if (e.event === 'log') print(e.line); }, { what: 'app creation' });
    const repo = done.repo ?? null;
    if (done.created) print(`Creating ${appLabel(app, p)}... done`);
    else print(`${appLabel(app, p)} already exists; ${repo?.hookRepaired ? 'repaired its git hook (it named paths that moved)' : repo ? 'its git repository and hook are in order' : 'it has no git repository'}`);
    print(`${appUrl(app)} | ${repo?.path ?? 'no git repository'}`);
    const top = repo ? await gitWorkTree(dir) : null;
    // A push deploys a repository's root, so a subfolder of a work tree gets no remote.
    if (top === dir && repo) await pointRemote(top, DEFAULT_REMOTE, repo.path);
    else if (top && repo) print(`Not adding git remote ${DEFAULT_REMOTE}: ${dir} is a subfolder of the repository ${top}, and a push deploys a repository's root`);
  },
});
