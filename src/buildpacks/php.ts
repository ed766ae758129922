// Why: PHP apps, with the system's php: Composer dependencies when Composer is installed, and PHP's
// built-in web server as the default web process.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage, invalid } from '../core/errors.js';
import { buildEnv, runStep } from './exec.js';
import { findOnPath, requireTool } from './toolchain.js';
import { INDENT, isDirectory, isFile, shellQuote } from './util.js';
import type { BuildContext, Buildpack } from './types.js';

const PHP = { command: 'php', what: 'PHP 8', debian: 'php-cli' };
const COMPOSER = { command: 'composer', what: 'Composer', debian: 'composer' };

/** The folder PHP's server serves: public/ or web/ when present (Symfony, Laravel), else the app. */
export async function documentRoot(dir: string): Promise<string> {
  for (const sub of ['public', 'web']) if (await isDirectory(path.join(dir, sub))) return sub;
  return '.';
}

/**
 * The default web command. It binds 127.0.0.1, not Heroku's 0.0.0.0: minik's router reaches dynos on
 * the loopback address, and a dyno listening on every interface would be open to the network.
 */
export function phpWebCommand(root: string): string {
  return `php -S 127.0.0.1:$PORT -t ${shellQuote(root)}`;
}

/** True when composer.json lists packages to install (`require`); a MinikError when it is not JSON. */
export function composerRequires(text: string): boolean {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw invalid(`composer.json is not valid JSON: ${errorMessage(err)}`, 'fix composer.json and run minik up again');
  }
  const req = (json as { require?: Record<string, string> } | null)?.require ?? {};
  return Object.keys(req).some((name) => name !== 'php' && !name.startsWith('ext-'));
}

/** Detected by composer.json or index.php. */
export const phpBuildpack: Buildpack = {
  name: 'php',
  detect: async (dir) => (await isFile(path.join(dir, 'composer.json'))) || isFile(path.join(dir, 'index.php')),
  async build(ctx) {
    ctx.log('-----> PHP app detected');
    const env = buildEnv({ ...ctx.env, COMPOSER_HOME: path.join(ctx.cacheDir, 'composer'), COMPOSER_NO_INTERACTION: '1' });
    await requireTool('PHP', PHP, env);
    await runStep(ctx, 'php', ['--version'], { cwd: ctx.buildDir, env });
    await installComposerPackages(ctx, env);
    const root = await documentRoot(ctx.buildDir);
    ctx.log(`${INDENT}Document root: ${root === '.' ? 'the app folder' : `${root}/`}`);
    return { defaultProcessTypes: { web: phpWebCommand(root) } };
  },
};

async function installComposerPackages(ctx: BuildContext, env: Record<string, string>): Promise<void> {
  const text = await readFile(path.join(ctx.buildDir, 'composer.json'), 'utf8').catch(() => null);
  if (text === null) return;
  const requires = composerRequires(text);
  if (!(await findOnPath('composer', env.PATH ?? ''))) {
    if (requires) await requireTool('PHP', COMPOSER, env); // throws: the packages cannot be had without it
    ctx.log(`${INDENT}composer.json requires no packages and composer is not installed: skipping composer install`);
    return;
  }
  ctx.log('-----> Installing dependencies: composer install --no-dev');
  await runStep(ctx, 'composer', ['install', '--no-dev', '--no-interaction', '--no-progress', '--optimize-autoloader'], { cwd: ctx.buildDir, env });
}
