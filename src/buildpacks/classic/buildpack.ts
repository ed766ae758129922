// Why: runs one third-party buildpack through Heroku's classic API (bin/detect, bin/compile, bin/release)
// and presents it as a minik Buildpack, so the build runs built-in and fetched buildpacks alike.
import { chmod, cp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { MinikError } from '../../core/errors.js';
import type { ConfigVars } from '../../core/types.js';
import { runStep } from '../exec.js';
import { INDENT, isFile } from '../util.js';
import type { BuildContext, Buildpack } from '../types.js';
import { classicEnv, writeEnvDir } from './environment.js';
import { parseReleaseYaml } from './release.js';

/** What a classic buildpack runs with besides the build context. */
export interface ClassicOptions {
  /** The URL as the user wrote it, for messages and the release's buildpack list. */
  url: string;
  /** The fetched (or local) buildpack folder; copied into `workDir` so a build never changes it. */
  source: string;
  /** A private folder for this buildpack in this build. */
  workDir: string;
  /** Variables from earlier buildpacks' `export` files. */
  exported: () => Record<string, string>;
  /** The app's config vars: ENV_DIR holds these (and not what earlier buildpacks exported). */
  config: ConfigVars;
  /** The build's context, for detect (the Buildpack interface's detect takes only a folder). */
  ctx: BuildContext;
}

// Runs a script with its stdout in a file (the name or YAML it prints) while stderr streams to the build log.
const STDOUT_TO_FILE = 'exec "$0" "$1" > "$2"';

/** A Buildpack over a classic buildpack folder; call prepare() before detect(). */
export function classicBuildpack(o: ClassicOptions): Buildpack & { prepare(): Promise<void>; detectedName(): string } {
  const dir = path.join(o.workDir, 'buildpack');
  const envDir = path.join(o.workDir, 'env');
  let name = o.url;
  const script = (s: string) => path.join(dir, 'bin', s);
  const dirs = (ctx: BuildContext) => ({ build: ctx.buildDir, cache: ctx.cacheDir, env: envDir });

  return {
    name: o.url,
    detectedName: () => name,
    async prepare() {
      await rm(dir, { recursive: true, force: true });
      await cp(o.source, dir, { recursive: true, verbatimSymlinks: true, filter: (src) => path.basename(src) !== '.git' });
      if (!(await isFile(script('compile')))) {
        throw new MinikError(`buildpack ${o.url} has no bin/compile`, {
          code: 'build_failed',
          hint: 'a classic buildpack needs bin/compile (and bin/detect; bin/release is optional); check the URL and its #ref',
        });
      }
      for (const s of ['detect', 'compile', 'release']) if (await isFile(script(s))) await chmod(script(s), 0o755);
    },
    async detect(buildDir) {
      if (!(await isFile(script('detect')))) return true;
      const out = path.join(o.workDir, 'detect.out');
      const env = classicEnv(o.exported(), { build: buildDir, cache: '', env: envDir });
      try {
        await runStep(verbatim(o.ctx), '/bin/sh', ['-c', STDOUT_TO_FILE, script('detect'), buildDir, out], { cwd: buildDir, env, label: `${o.url}: bin/detect` });
      } catch (err) {
        if (o.ctx.signal?.aborted) throw err;
        const printed = (await readFile(out, 'utf8').catch(() => '')).trim();
        if (printed) o.ctx.log(`${INDENT}${printed}`);
        return false;
      }
      name = (await readFile(out, 'utf8').catch(() => '')).trim().split('\n')[0] || o.url;
      return true;
    },
    async build(ctx) {
      ctx.log(`-----> ${name} app detected`);
      await writeEnvDir(envDir, o.config);
      const env = classicEnv(o.exported(), dirs(ctx), ctx.sourceVersion);
      await runStep(verbatim(ctx), script('compile'), [ctx.buildDir, ctx.cacheDir, envDir], { cwd: ctx.buildDir, env, label: `${o.url}: bin/compile` });
      const release = await runRelease(ctx, env);
      const exportFile = path.join(dir, 'export');
      return { ...release, ...((await isFile(exportFile)) ? { exportFile } : {}) };
    },
  };

  async function runRelease(ctx: BuildContext, env: Record<string, string>) {
    if (!(await isFile(script('release')))) return { defaultProcessTypes: {}, configVars: {} };
    const out = path.join(o.workDir, 'release.yml');
    await runStep(verbatim(ctx), '/bin/sh', ['-c', STDOUT_TO_FILE, script('release'), ctx.buildDir, out], { cwd: ctx.buildDir, env, label: `${o.url}: bin/release` });
    return parseReleaseYaml(await readFile(out, 'utf8'), o.url);
  }
}

/** A buildpack's output is shown as it prints it (its own `-----> ` headlines and indented details), not indented again. */
function verbatim(ctx: BuildContext): BuildContext {
  return { ...ctx, log: (line) => ctx.log(line.startsWith(INDENT) ? line.slice(INDENT.length) : line) };
}
