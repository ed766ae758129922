// Why: Heroku's Clojure buildpack, locally: Leiningen from the system (Debian's leiningen) with the JDK
// system.properties names, the dependency repository kept in the build cache, and the uberjar as web
// (`java $JVM_OPTS -cp target/…-standalone.jar clojure.main -m <:main>`). deps.edn apps build with the
// Clojure CLI (clojure-cli.ts) when one is installed.
import { mkdirSync, readdirSync, rmdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import type { ProcessTypes } from '../core/types.js';
import { parseProcfile } from '../procfile/procfile.js';
import { buildWithCli } from './clojure-cli.js';
import { leinDefaultWeb, leinTask, parseProjectClj, repositoryInSlug, standaloneJar } from './clojure-project.js';
import type { StepOptions } from './exec.js';
import { setUpJdk } from './java-jdk.js';
import { findOnPath, requireTool } from './toolchain.js';
import type { BuildContext, BuildResult, Buildpack } from './types.js';
import { runReportingRepositories } from './unreachable.js';
import { INDENT, hasAnyFile, isFile, requireNoSpaces, writeProfileScript } from './util.js';

const LEIN = { command: 'lein', what: 'Leiningen', debian: 'leiningen' };
/** The JIT flags Leiningen's own script uses when LEIN_JVM_OPTS is unset: a faster start for a short-lived JVM. */
const LEIN_FAST_START = '-XX:+TieredCompilation -XX:TieredStopAtLevel=1';

/** Detected by project.clj (Leiningen) or deps.edn (Clojure CLI); tried before java, as on Heroku. */
export const clojureBuildpack: Buildpack = {
  name: 'clojure',
  detect: (dir) => hasAnyFile(dir, ['project.clj', 'deps.edn']),
  async build(ctx): Promise<BuildResult> {
    const lein = await isFile(path.join(ctx.buildDir, 'project.clj'));
    ctx.log(`-----> Clojure (${lein ? 'Leiningen' : 'CLI'}) app detected`);
    const { env, runtime } = await setUpJdk(ctx, 'Clojure');
    const defaultProcessTypes = lein ? await buildWithLein(ctx, env) : await buildWithCli(ctx, env);
    return { defaultProcessTypes, runtime };
  },
};

const LEIN_REPOSITORIES = 'point :mirrors or :repositories in project.clj at a repository this machine reaches';

/**
 * `lein uberjar` (or LEIN_BUILD_TASK, or the app's bin/build). Java takes user.home from /etc/passwd, not $HOME, so
 * `-Duser.home` (as Heroku passes it) puts Leiningen's ~/.m2 in the build cache and leaves the user's own alone.
 */
async function buildWithLein(ctx: BuildContext, jdkEnv: Record<string, string>): Promise<ProcessTypes> {
  const project = parseProjectClj(await readFile(path.join(ctx.buildDir, 'project.clj'), 'utf8'));
  const vendored = await executable(path.join(ctx.buildDir, 'bin', 'lein'));
  if (vendored) ctx.log(`${INDENT}Using vendored Leiningen at bin/lein`);
  else await requireTool('Clojure', LEIN, jdkEnv);
  const home = path.join(ctx.cacheDir, 'home');
  requireNoSpaces(home, 'Leiningen');
  mkdirSync(home, { recursive: true });
  const leinHome = path.join(ctx.buildDir, '.lein'); // an app's .lein/profiles.clj applies, as on Heroku
  const env = { ...jdkEnv, LEIN_HOME: leinHome, LEIN_JVM_OPTS: `${ctx.env.LEIN_JVM_OPTS ?? LEIN_FAST_START} -Duser.home=${home}` };
  const opts: StepOptions = { cwd: ctx.buildDir, env };
  const buildScript = await executable(path.join(ctx.buildDir, 'bin', 'build'));
  if (buildScript) {
    ctx.log('-----> Found bin/build; running it instead of the default lein invocation');
    await runReportingRepositories(ctx, 'Leiningen', buildScript, [], { ...opts, label: 'bin/build' }, LEIN_REPOSITORIES);
  } else {
    const task = leinTask(ctx.env.LEIN_BUILD_TASK);
    ctx.log(`-----> Executing: lein ${task.join(' ')}`);
    await runReportingRepositories(ctx, 'Leiningen', vendored ?? 'lein', task, { ...opts, label: `lein ${task.join(' ')}` }, LEIN_REPOSITORIES);
  }
  removeIfEmpty(leinHome);

  const { web, note } = leinDefaultWeb(standaloneJar(builtJars(ctx.buildDir), project.uberjarName), project.main);
  if (note) ctx.log(`${INDENT}${note}`);
  const defaults: ProcessTypes = web ? { web } : {};
  if (repositoryInSlug(ctx.env.LEIN_INCLUDE_IN_SLUG, { ...defaults, ...(await procfileTypes(ctx.buildDir)) })) {
    ctx.log(`${INDENT}Copying the dependency repository into the slug (.m2), for lein at run time`);
    mkdirSync(path.join(home, '.m2'), { recursive: true });
    await execa('cp', ['-a', '--', `${path.join(home, '.m2')}/.`, path.join(ctx.buildDir, '.m2')]);
  }
  await writeProfileScript(ctx.buildDir, 'clojure.sh', [
    'export LEIN_NO_DEV="${LEIN_NO_DEV:-yes}"',
    'export RING_ENV="${RING_ENV:-production}"',
    // lein in a dyno (web: lein run) finds the repository copied above through user.home, as on Heroku.
    `export LEIN_JVM_OPTS="\${LEIN_JVM_OPTS-${LEIN_FAST_START}} -Duser.home=$HOME"`,
  ]);
  return defaults;
}

/** The jars under target/ and its direct sub-folders (a :target-path of "target/%s"), as paths relative to `dir`. */
function builtJars(dir: string): string[] {
  const jars: string[] = [];
  const scan = (rel: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(path.join(dir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isFile() && e.name.endsWith('.jar')) jars.push(`${rel}/${e.name}`);
      else if (e.isDirectory() && depth > 0) scan(`${rel}/${e.name}`, depth - 1);
    }
  };
  scan('target', 1);
  return jars.sort();
}

/** The app's Procfile process types, or none when it has no (valid) Procfile: the deploy reports a bad one. */
async function procfileTypes(dir: string): Promise<ProcessTypes> {
  try {
    return parseProcfile(await readFile(path.join(dir, 'Procfile'), 'utf8'));
  } catch {
    return {};
  }
}

/** `file` when it is an executable regular file (Heroku runs an app's bin/build and bin/lein only then), else null. */
async function executable(file: string): Promise<string | null> {
  return (await isFile(file)) ? findOnPath(file, '') : null;
}

function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // not empty (the app's own profiles.clj), or not there
  }
}
