// Why: every app command finds its app the same way: --app, then $MINIK_APP, then the app deployed
// from the current folder (like Heroku's git remote), then the one deployed last from a folder below it
// (so the README's `minik up fixtures/node-hello` then `minik ps` work from the repo root).
import { realpathSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import type { Argv } from 'yargs';
import { remoteUrl } from '../git/worktree.js';
import { MinikError } from '../core/errors.js';
import { validateAppName } from '../core/names.js';
import type { AppView } from '../core/api.js';
import { request } from './client.js';
import { minikHome } from './paths.js';

/** Adds `--app/-a NAME` to a command. */
export function withApp<T>(y: Argv<T>): Argv<T & { app: string | undefined }> {
  return y.option('app', { alias: 'a', type: 'string', describe: 'app to run the command against' });
}

/** The app an invocation means, validated. */
export async function resolveApp(argv: { app?: string }, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (argv.app !== undefined && argv.app !== '') return validateAppName(String(argv.app));
  if (env.MINIK_APP) return validateAppName(env.MINIK_APP);
  const found = await appForDir(process.cwd());
  if (found) return found.name;
  const pushed = await appFromGitRemote(process.cwd(), env);
  if (pushed) return pushed;
  const below = await appBelow(process.cwd());
  if (below) {
    process.stderr.write(`Using ${below.name}, deployed last from ${relative(process.cwd(), below.sourceDir) || '.'} (pass -a NAME for another app)\n`);
    return below.name;
  }
  throw new MinikError('no app was deployed from this folder or below it', { hint: "pass --app NAME (see 'minik apps'), or run 'minik up' (or 'minik git:remote -a NAME') here first", code: 'not_found' });
}

/** The app deployed most recently from `dir` or a folder below it, if any. */
async function appBelow(dir: string): Promise<AppView | null> {
  const apps = await request<AppView[]>('GET', `/apps?under=${encodeURIComponent(realpathSync(dir))}`);
  return apps[0] ?? null;
}

/** Why: as Heroku finds the app from the `heroku` remote, a clone whose `minik` remote names an app's repository means that app. */
async function appFromGitRemote(dir: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  const url = await remoteUrl(dir, 'minik');
  if (!url || dirname(url) !== join(minikHome(env), 'repos') || !url.endsWith('.git')) return null;
  try {
    return validateAppName(basename(url, '.git'));
  } catch {
    return null;
  }
}

/** The app deployed from `dir` (compared by real path), if any. */
export async function appForDir(dir: string): Promise<AppView | null> {
  const apps = await request<AppView[]>('GET', `/apps?sourceDir=${encodeURIComponent(realpathSync(dir))}`);
  return apps[0] ?? null;
}

/** `/apps/NAME` with the name escaped, plus an optional sub-path. */
export function appPath(app: string, rest = ''): string {
  return `/apps/${encodeURIComponent(app)}${rest}`;
}
