// Why: Heroku's Ruby buildpack, locally: Bundler with the system's ruby, gems vendored into the slug
// and cached, production environment defaults, and a web process for Rack and Rails apps.
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { ProcessTypes } from '../core/types.js';
import { installBundle } from './ruby-bundle.js';
import { buildEnv, runStep } from './exec.js';
import { requireTool } from './toolchain.js';
import { isFile, writeProfileScript } from './util.js';
import type { Buildpack } from './types.js';

const RUBY = { command: 'ruby', what: 'Ruby', debian: 'ruby' };
const BUNDLER = { command: 'bundle', what: 'Bundler', debian: 'ruby-bundler' };

/** True when the Gemfile (or its lock) names the rails gem. */
export function isRails(gemfile: string, lock: string | null): boolean {
  return /^\s*gem\s+["']rails["']/m.test(gemfile) || (lock !== null && /^ {4}rails \(/m.test(lock));
}

/**
 * Heroku's defaults: Rails runs `rails server`, a Rack app `rackup`. Both bind 127.0.0.1 rather than
 * Heroku's 0.0.0.0: minik's router reaches dynos on the loopback address only.
 */
export function rubyProcessTypes(rails: boolean, hasConfigRu: boolean): ProcessTypes {
  if (rails) return { web: 'bundle exec rails server -p $PORT -b 127.0.0.1 -e $RAILS_ENV' };
  if (hasConfigRu) return { web: 'bundle exec rackup -p $PORT -o 127.0.0.1' };
  return {};
}

/** Detected by a Gemfile. */
export const rubyBuildpack: Buildpack = {
  name: 'ruby',
  detect: (dir) => isFile(path.join(dir, 'Gemfile')),
  async build(ctx) {
    ctx.log('-----> Ruby app detected');
    const env = buildEnv({
      ...ctx.env,
      RACK_ENV: ctx.env.RACK_ENV ?? 'production',
      RAILS_ENV: ctx.env.RAILS_ENV ?? 'production',
      BUNDLE_WITHOUT: ctx.env.BUNDLE_WITHOUT ?? 'development:test',
      BUNDLE_SILENCE_ROOT_WARNING: '1',
      BUNDLE_APP_CONFIG: path.join(ctx.buildDir, '.bundle'),
    });
    const ruby = await requireTool('Ruby', RUBY, env);
    await requireTool('Ruby', BUNDLER, env);
    await runStep(ctx, 'ruby', ['--version'], { cwd: ctx.buildDir, env });
    const gemfile = await readFile(path.join(ctx.buildDir, 'Gemfile'), 'utf8');
    const lock = await readFile(path.join(ctx.buildDir, 'Gemfile.lock'), 'utf8').catch(() => null);
    await installBundle(ctx, env, lock, await realpath(ruby));
    await writeProfileScript(ctx.buildDir, 'ruby.sh', [
      'export RACK_ENV="${RACK_ENV:-production}"',
      'export RAILS_ENV="${RAILS_ENV:-production}"',
      'export BUNDLE_WITHOUT="${BUNDLE_WITHOUT:-development:test}"',
      'export PATH="$PWD/bin:$PATH"',
    ]);
    const rails = isRails(gemfile, lock);
    return { defaultProcessTypes: rubyProcessTypes(rails, await isFile(path.join(ctx.buildDir, 'config.ru'))) };
  },
};
