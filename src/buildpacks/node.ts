// Why: Heroku's Node.js buildpack, locally: npm install with devDependencies, the Heroku build
// scripts, prune, and a web process from the start script.
import { readText } from '../core/files.js';
import path from 'node:path';
import { errorMessage, invalid } from '../core/errors.js';
import type { ProcessTypes, Runtime } from '../core/types.js';
import { buildEnv, runStep } from './exec.js';
import { installDependencies, planDependencies, restoreProduction, saveProduction, type PackageJson } from './node-install.js';
import { describeSelection, selectNode, withRuntimePath } from './runtime/index.js';
import { INDENT, isFile, writeProfileScript } from './util.js';
import type { BuildContext, Buildpack } from './types.js';

/** Detected by package.json; builds node_modules and runs the build scripts. */
export const nodeBuildpack: Buildpack = {
  name: 'node',
  detect: (dir) => isFile(path.join(dir, 'package.json')),
  async build(ctx) {
    ctx.log('-----> Node.js app detected');
    const pkg = await readPackageJson(ctx.buildDir);
    const selection = await selectNode(ctx, pkg.engines?.node);
    const { runtime } = selection;
    ctx.log(INDENT + describeSelection(selection, "no engines.node, .nvmrc or .node-version; the daemon's node"));
    await runScriptIfPresent(ctx, pkg, 'heroku-prebuild', npmEnv(ctx, runtime, true));
    const deps = await planDependencies(ctx.buildDir, pkg, runtime);
    if (!(await restoreProduction(ctx, deps))) {
      await installDependencies(ctx, npmEnv(ctx, runtime, true), deps);
      await runBuildScripts(ctx, pkg, runtime);
      if (deps.prunes) {
        await pruneDevDependencies(ctx, runtime);
        await saveProduction(ctx, deps);
      }
    }
    await writeProfileScript(ctx.buildDir, 'node.sh', [
      // No node path here: the dyno environment puts the release's runtime (recorded below) first on PATH.
      'export PATH="$PWD/node_modules/.bin:$PATH"',
      'export NODE_ENV="${NODE_ENV:-production}"',
    ]);
    return { defaultProcessTypes: await nodeProcessTypes(ctx.buildDir, pkg), runtime };
  },
};

/** package.json as an object; a MinikError when it is not valid JSON. */
export async function readPackageJson(dir: string): Promise<PackageJson> {
  const text = readText(path.join(dir, 'package.json'));
  if (text === null) throw invalid('package.json cannot be read', 'make it a readable file and run minik up again');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw invalid(`package.json is not valid JSON: ${errorMessage(err)}`, 'fix package.json and run minik up again');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalid('package.json must hold a JSON object', 'fix package.json and run minik up again');
  }
  return parsed as PackageJson;
}

/**
 * Default process types, Heroku's rule with one change: `web` runs the start script's command itself
 * rather than `npm start`, which saves npm's ~150 ms boot and a process layer between the dyno and
 * its signals (node_modules/.bin comes onto PATH through .profile.d/node.sh instead). With a prestart
 * or poststart script, `npm start` is kept so those still run.
 */
export async function nodeProcessTypes(dir: string, pkg: PackageJson): Promise<ProcessTypes> {
  const scripts = pkg.scripts ?? {};
  const start = scripts.start?.trim();
  if (start) return { web: scripts.prestart || scripts.poststart ? 'npm start' : start };
  if (await isFile(path.join(dir, 'server.js'))) return { web: 'node server.js' };
  return {};
}

/** The environment of npm steps: config vars, the selected node first on PATH, npm's cache in the build cache. */
function npmEnv(ctx: BuildContext, runtime: Runtime, includeDev: boolean): Record<string, string> {
  return withRuntimePath(buildEnv({
    ...ctx.env,
    npm_config_cache: path.join(ctx.cacheDir, 'npm'),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    // Heroku installs devDependencies even with NODE_ENV=production; npm 11 warns about
    // NPM_CONFIG_PRODUCTION=false, and include=dev is its current spelling that beats NODE_ENV.
    ...(includeDev ? { npm_config_include: 'dev' } : {}),
  }), runtime);
}

async function runScriptIfPresent(ctx: BuildContext, pkg: PackageJson, script: string, env: Record<string, string>): Promise<void> {
  if (pkg.scripts?.[script] === undefined) return;
  ctx.log(`${INDENT}Running ${script}`);
  await runStep(ctx, 'npm', ['run', script], { cwd: ctx.buildDir, env });
}

/** `heroku-build` (or else `build`), then `heroku-postbuild`, each when present. */
async function runBuildScripts(ctx: BuildContext, pkg: PackageJson, runtime: Runtime): Promise<void> {
  const scripts = pkg.scripts ?? {};
  const build = scripts['heroku-build'] !== undefined ? 'heroku-build' : scripts.build !== undefined ? 'build' : null;
  const steps = [build, scripts['heroku-postbuild'] !== undefined ? 'heroku-postbuild' : null].filter((s) => s !== null);
  if (steps.length === 0) return;
  ctx.log('-----> Build');
  const env = npmEnv(ctx, runtime, true);
  for (const script of steps) await runScriptIfPresent(ctx, pkg, script, env);
}

async function pruneDevDependencies(ctx: BuildContext, runtime: Runtime): Promise<void> {
  ctx.log('-----> Pruning devDependencies');
  await runStep(ctx, 'npm', ['prune', '--omit=dev'], { cwd: ctx.buildDir, env: npmEnv(ctx, runtime, false) });
}
