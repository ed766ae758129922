// Why: installing node_modules is the slow part of a Node build; this decides between restoring the
// cached copy and running npm, and keeps the cache in step with what npm installed.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { readBytes } from '../core/files.js';
import { cacheKey, isCached, restoreCached, saveCached } from './cache.js';
import { runStep } from './exec.js';
import type { Runtime } from '../core/types.js';
import { INDENT, isFile } from './util.js';
import type { BuildContext } from './types.js';

/** The parts of package.json a build reads. */
export interface PackageJson {
  name?: string;
  scripts?: Record<string, string>;
  engines?: { node?: string };
  devDependencies?: Record<string, string>;
  [field: string]: unknown;
}

// Fields that change what `npm ci`/`npm install` puts in node_modules.
const DEPENDENCY_FIELDS = [
  'dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies',
  'bundleDependencies', 'bundledDependencies', 'overrides', 'workspaces',
] as const;
const LOCKFILES = ['npm-shrinkwrap.json', 'package-lock.json'] as const;
const CACHE_NAME = 'node_modules';

/** The lockfile npm ci would use, or null. */
export async function findLockfile(buildDir: string): Promise<string | null> {
  const found = await Promise.all(LOCKFILES.map((name) => isFile(path.join(buildDir, name))));
  return LOCKFILES[found.indexOf(true)] ?? null;
}

/** The key the cached node_modules is valid for: dependency fields, lockfile, .npmrc, node version. */
export async function nodeModulesKey(buildDir: string, pkg: PackageJson, lockfile: string | null, node = `${process.version} ${process.execPath}`): Promise<string> {
  const deps = Object.fromEntries(DEPENDENCY_FIELDS.map((f) => [f, pkg[f] ?? null]));
  return cacheKey({
    deps: JSON.stringify(deps),
    lockfile: lockfile ? readBytes(path.join(buildDir, lockfile)) : null,
    npmrc: readBytes(path.join(buildDir, '.npmrc')),
    node: `${node} ${process.platform} ${process.arch}`,
  });
}

/** What decides how node_modules comes back: its cache key, the lockfile npm uses, whether the cache may be shared. */
export interface DependencyPlan {
  key: string;
  lockfile: string | null;
  /**
   * True when no build script runs after the install: nothing then rewrites files in node_modules in place, so
   * the cached files are shared by hard links (see cache.ts Shared) instead of copied.
   */
  shared: boolean;
  /** devDependencies are installed, then pruned. */
  prunes: boolean;
}

/** npm rewrites its hidden lockfile in place when it prunes: always a copy, never a link to the cache. */
const NPM_REWRITES = { copied: ['.package-lock.json'] };
/** node_modules after the prune, for builds with no build script: the next one skips install and prune. */
const PRODUCTION_CACHE = 'node_modules-production';

/** The plan for this build's dependencies. */
export async function planDependencies(buildDir: string, pkg: PackageJson, runtime?: Runtime): Promise<DependencyPlan> {
  const lockfile = await findLockfile(buildDir);
  const scripts = pkg.scripts ?? {};
  return {
    key: await nodeModulesKey(buildDir, pkg, lockfile, runtime && `v${runtime.version} ${runtime.executable}`),
    lockfile,
    shared: !BUILD_SCRIPTS.some((s) => scripts[s] !== undefined),
    prunes: Object.keys(pkg.devDependencies ?? {}).length > 0,
  };
}

/** The scripts a build may run after the install (node.ts runs heroku-build or else build, then heroku-postbuild). */
export const BUILD_SCRIPTS = ['heroku-build', 'build', 'heroku-postbuild'] as const;

/**
 * With no build script and devDependencies to prune, the previous build's pruned node_modules, when it was made
 * for the same key: a watch redeploy then neither copies devDependencies in nor starts npm to prune them.
 */
export async function restoreProduction(ctx: BuildContext, plan: DependencyPlan): Promise<boolean> {
  if (!plan.shared || !plan.prunes || !(await isCached(ctx.cacheDir, PRODUCTION_CACHE, plan.key))) return false;
  ctx.log('-----> Installing dependencies');
  ctx.log(`${INDENT}Restoring cache (devDependencies pruned)`);
  if (!(await restoreCached(ctx.cacheDir, PRODUCTION_CACHE, path.join(ctx.buildDir, 'node_modules'), NPM_REWRITES))) return false;
  ctx.log(`${INDENT}Dependencies unchanged, skipping install and prune`);
  return true;
}

/** After a prune, keeps the pruned node_modules for restoreProduction; a failure only costs the next build a prune. */
export async function saveProduction(ctx: BuildContext, plan: DependencyPlan): Promise<void> {
  if (plan.shared && plan.prunes) await saveCached(ctx.cacheDir, PRODUCTION_CACHE, plan.key, path.join(ctx.buildDir, 'node_modules'), true).catch(() => {});
}

/**
 * Restores node_modules from the cache when nothing that shapes it changed, else installs with npm
 * (devDependencies included) and caches the result. The cache holds node_modules as installed, before
 * the build scripts and before pruning: the next build skips the install but still runs the build
 * scripts, which need the devDependencies (compilers, bundlers), and prunes afterwards itself.
 */
export async function installDependencies(ctx: BuildContext, env: Record<string, string>, plan: DependencyPlan): Promise<void> {
  ctx.log('-----> Installing dependencies');
  const { key, lockfile } = plan;
  const nodeModules = path.join(ctx.buildDir, 'node_modules');
  if (await isCached(ctx.cacheDir, CACHE_NAME, key)) {
    ctx.log(`${INDENT}Restoring cache`);
    if (await restoreCached(ctx.cacheDir, CACHE_NAME, nodeModules, plan.shared ? NPM_REWRITES : null)) {
      ctx.log(`${INDENT}Dependencies unchanged, skipping install`);
      return;
    }
    ctx.log(`${INDENT}Could not restore the cache; installing`);
  }
  if (!lockfile && (await isFile(path.join(ctx.buildDir, 'yarn.lock')))) {
    ctx.log(`${INDENT}yarn.lock found: minik installs with npm and ignores it`);
  }
  ctx.log(`${INDENT}Installing node modules (${lockfile ?? 'package.json'})`);
  const args = lockfile ? ['ci'] : ['install'];
  ctx.log(`${INDENT}npm ${args.join(' ')}`);
  await runStep(ctx, 'npm', args, { cwd: ctx.buildDir, env });
  await mkdir(nodeModules, { recursive: true }); // an app without dependencies still gets a (cached) empty one
  ctx.log(`${INDENT}Caching node_modules for the next build`);
  await saveCached(ctx.cacheDir, CACHE_NAME, key, nodeModules);
}
