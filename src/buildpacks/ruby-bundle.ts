// Why: gems are the slow part of a Ruby build, and RubyGems may be out of reach (it is on minik's CI,
// where the gems come from Debian's ruby-* packages): this vendors the bundle when it can and falls
// back to the system's installed gems when they satisfy the Gemfile.
import path from 'node:path';
import { MinikError } from '../core/errors.js';
import { readBytes } from '../core/files.js';
import { cacheKey, isCached, restoreCached, saveCached } from './cache.js';
import { runStep } from './exec.js';
import { INDENT } from './util.js';
import type { BuildContext } from './types.js';

const CACHE_NAME = 'vendor-bundle';

/**
 * `bundle install` into vendor/bundle (deployment mode with a Gemfile.lock), restoring and saving the
 * cached bundle. When that fails, `bundle install --local` against the gems installed on the system
 * (no network); if that fails too, the first failure is the one reported.
 */
export async function installBundle(ctx: BuildContext, env: Record<string, string>, lock: string | null, ruby: string): Promise<void> {
  ctx.log('-----> Installing dependencies using Bundler');
  const bundle = (args: string[], c: BuildContext = ctx) => runStep(c, 'bundle', args, { cwd: ctx.buildDir, env });
  await bundle(['config', 'set', '--local', 'path', 'vendor/bundle']);
  if (lock !== null) await bundle(['config', 'set', '--local', 'deployment', 'true']);
  const vendor = path.join(ctx.buildDir, 'vendor', 'bundle');
  const key = cacheKey({ lock, gemfile: readBytes(path.join(ctx.buildDir, 'Gemfile')), ruby, without: env.BUNDLE_WITHOUT ?? '' });
  if (await isCached(ctx.cacheDir, CACHE_NAME, key)) {
    ctx.log(`${INDENT}Restoring the cached bundle`);
    await restoreCached(ctx.cacheDir, CACHE_NAME, vendor);
  }
  try {
    await bundle(['install', '--jobs=4', '--retry=1']);
    await saveCached(ctx.cacheDir, CACHE_NAME, key, vendor).catch(() => ctx.log(`${INDENT}Could not cache vendor/bundle`));
    return;
  } catch (err) {
    if (ctx.signal?.aborted || !(err instanceof MinikError)) throw err;
    ctx.log(`${INDENT}Could not install into vendor/bundle; trying the gems installed on this system`);
    try {
      await bundle(['config', 'unset', '--local', 'deployment']);
      await bundle(['config', 'unset', '--local', 'path']);
      if (lock !== null) await bundle(['config', 'set', '--local', 'frozen', 'true']);
      await bundle(['install', '--local']);
      ctx.log(`${INDENT}Using the system's gems (e.g. Debian's ruby-* packages); nothing was vendored`);
    } catch {
      throw err;
    }
  }
}
