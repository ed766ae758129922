// Why: `minik up` is minik's `git push heroku main`: deploy a folder, optionally redeploy on every save.
import { realpathSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { MinikError } from '../../core/errors.js';
import { appNameFromDir, validateAppName } from '../../core/names.js';
import { appForDir } from '../app.js';
import { paletteFor } from '../color.js';
import { defineCommand } from '../command.js';
import { deploy } from '../deploy.js';
import { formatError } from '../errors.js';
import { appLabel } from '../format.js';
import { onInterrupt } from '../interrupt.js';
import { readerGone, streamLogs, renderLogLine, writeOrWait } from '../log-stream.js';
import { minikHome } from '../paths.js';
import { DeployQueue, fileStamp, makeIgnoreMatcher, readGitignore, watchFolder } from '../watch.js';
import { gitWorkTree } from '../../git/worktree.js';
import { DEFAULT_REMOTE, pointRemote } from './git-remote.js';

interface Args { dir?: string; name?: string; watch?: boolean }

/** The real path of the folder to deploy; a clear error when it is missing or not a folder. */
export function sourceFolder(dir: string | undefined): string {
  const abs = resolve(dir ?? '.');
  let isDir = false;
  try {
    isDir = statSync(abs).isDirectory();
  } catch {
    throw new MinikError(`folder '${abs}' does not exist`, { hint: 'pass the folder of an app, e.g. minik up ./myapp', code: 'not_found' });
  }
  if (!isDir) throw new MinikError(`'${abs}' is not a folder`, { hint: 'pass the folder of an app, e.g. minik up ./myapp', code: 'invalid' });
  return realpathSync(abs);
}

/** `--name`, else the app already deployed from this folder, else one derived from the folder's name. */
async function appName(dir: string, name: string | undefined): Promise<string> {
  if (name !== undefined) return validateAppName(String(name));
  const existing = await appForDir(dir);
  return existing ? existing.name : validateAppName(appNameFromDir(basename(dir)));
}

/** Redeploys on changes and tails the app's logs until Ctrl-C. */
async function watchAndRedeploy(app: string, dir: string): Promise<void> {
  const err = paletteFor(process.stderr);
  const queue: DeployQueue = new DeployQueue(async (changed, job) => {
    process.stdout.write(`\n-----> Change detected (${changed}), redeploying\n`);
    const before = fileStamp(join(dir, changed));
    try {
      await deploy(app, dir, {}, dir, job);
    } catch (e) {
      if (job.signal.aborted) process.stdout.write('-----> Superseded by a newer change\n');
      throw e;
    } finally {
      // chokidar reports one change for a burst on one file (an editor's save: truncate, then write), so the write
      // that ends the burst may land after the deploy read the file, with no event of its own: look again.
      if (fileStamp(join(dir, changed)) !== before) queue.trigger(changed);
    }
  }, { onError: (e) => process.stderr.write(`${formatError(e, err, process.env.MINIK_DEBUG === '1')}\n`) });
  const watcher = await watchFolder(dir, makeIgnoreMatcher(dir, readGitignore(dir), [minikHome()]), (rel) => queue.trigger(rel));
  const logs = new AbortController();
  const out = paletteFor(process.stdout);
  void streamLogs(app, { n: 0, tail: true }, (l) => {
    if (!(l.source === 'minik' && l.process === 'build')) return writeOrWait(process.stdout, `${renderLogLine(l, out)}\n`);
  }, logs.signal).catch((e: unknown) => process.stderr.write(`${formatError(e, err)}\n`));
  process.stderr.write(err.dim(`Watching ${dir} for changes (Ctrl-C to stop)\n`));
  const interrupt = onInterrupt();
  // stdout's reader went away (`minik up --watch | head`): nothing would show what the watch does, so end it as Ctrl-C does.
  await Promise.race([interrupt.signal, readerGone(process.stdout)]);
  interrupt.stop();
  queue.close();
  logs.abort();
  await watcher.close();
  process.stderr.write(`\nStopped watching; ${appLabel(app, err)} keeps running\n`);
}

/**
 * Why: as `heroku create` does, the first deploy from a git work tree adds the `minik` remote (said once);
 * only from the tree's top, since a push deploys a repository's root, not a subfolder.
 */
async function addRemoteIfNew(dir: string, r: { created: boolean; repo: string | null }): Promise<void> {
  const top = r.created && r.repo ? await gitWorkTree(dir) : null;
  if (top === dir && r.repo) await pointRemote(top, DEFAULT_REMOTE, r.repo);
}

/** `minik up [dir] [--name NAME] [--watch]`. */
export default defineCommand<Args>({
  command: 'up [dir]',
  describe: 'build and deploy the app in a folder (default: this one)',
  group: 'Apps',
  builder: (y) => y
    .positional('dir', { type: 'string', describe: 'folder to deploy' })
    .option('name', { alias: 'n', type: 'string', describe: 'app name (default: the folder\'s name)' })
    .option('watch', { alias: 'w', type: 'boolean', describe: 'redeploy on every change, and tail the logs' }),
  handler: async (argv) => {
    const dir = sourceFolder(argv.dir);
    const app = await appName(dir, argv.name);
    const typed = argv.dir === undefined ? '.' : String(argv.dir);
    if (!argv.watch) {
      await addRemoteIfNew(dir, await deploy(app, dir, {}, typed));
      return;
    }
    void readerGone(process.stdout); // from the first deploy's output on, EPIPE ends the watch instead of the CLI
    try {
      await addRemoteIfNew(dir, await deploy(app, dir, {}, typed));
    } catch (e) {
      process.stderr.write(`${formatError(e, paletteFor(process.stderr), process.env.MINIK_DEBUG === '1')}\n`);
    }
    await watchAndRedeploy(app, dir);
  },
});
