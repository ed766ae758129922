// Why: Heroku's Scala buildpack, locally: `sbt compile stage` (SBT_TASKS) with the JDK system.properties
// names, sbt started by the app's script, the sbt on PATH or the launcher minik fetches, every sbt download
// and sbt's own output kept in the app's build cache, and sbt-native-packager's staged script as web.
import { mkdirSync, writeFileSync } from 'node:fs';
import { readdir, rename, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { MinikError } from '../core/errors.js';
import { readText, statOrNull } from '../core/files.js';
import { isProjectSbtFile, PLAY_PROFILE_LINE, projectSbtText, usesPlay } from '../core/sbt.js';
import { cacheKey, isCached, restoreCached, saveCached } from './cache.js';
import { setUpJdk } from './java-jdk.js';
import { sbtLauncher } from './sbt-launcher.js';
import {
  describeRunner, GLOBAL_SETTINGS, isMissingStage, outputSlot, requireSbtVersion, requireSplittableOptions, SBT_OUTPUTS, sbtCommand, sbtDirs, sbtJvmOptions, sbtTasks,
  SLUG_KEEPS_IN_TARGET, STAGE_BIN_PATTERNS, STAGED_APP, stagedWebCommand, words, type SbtDirs, type SbtRunner,
} from './scala-sbt.js';
import { findOnPath } from './toolchain.js';
import type { BuildContext, BuildResult, Buildpack } from './types.js';
import { runReportingRepositories } from './unreachable.js';
import { hasAnyFile, hasFileWithExtension, INDENT, isDirectory, isFile, writeProfileScript } from './util.js';

/** Detected as Heroku detects an sbt project: a .sbt file or .sbtrc at the root, project/build.properties or project/*.scala. */
export async function isSbtProject(dir: string): Promise<boolean> {
  return (await hasFileWithExtension(dir, '.sbt')) || (await hasAnyFile(dir, ['.sbtrc', path.join('project', 'build.properties')]))
    || (await hasFileWithExtension(path.join(dir, 'project'), '.scala')) || (await hasFileWithExtension(path.join(dir, '.sbt'), '.scala'));
}

export const scalaBuildpack: Buildpack = {
  name: 'scala',
  detect: isSbtProject,
  async build(ctx): Promise<BuildResult> {
    ctx.log('-----> Scala app detected');
    const version = requireSbtVersion(readText(path.join(ctx.buildDir, 'project', 'build.properties')));
    const { jdk, env, runtime } = await setUpJdk(ctx, 'Scala');
    const dirs = sbtDirs(ctx.cacheDir);
    prepareDirs(dirs);
    const runner = await chooseRunner(ctx, env);
    requireSplittableOptions(runner, ctx.cacheDir);
    ctx.log(`${INDENT}sbt ${version} (project/build.properties), started by ${describeRunner(runner)}`);
    const tasks = sbtTasks(ctx.env);
    const cmd = sbtCommand(runner, path.join(jdk.home, 'bin', 'java'), sbtJvmOptions(dirs, jdk.major), words(ctx.env.SBT_OPTS), tasks);
    // JAVA_OPTS is the dynos' (Heroku keeps it out of the build too); every folder sbt writes is in the cache.
    const stepEnv: Record<string, string> = { ...env, HOME: dirs.home, COURSIER_CACHE: path.join(dirs.coursier, 'cache'), SBT_OPTS: cmd.sbtOptsEnv };
    delete stepEnv.JAVA_OPTS;
    ctx.log(`-----> Running: sbt ${tasks.join(' ')}`);
    await inStableFolder(ctx, async (dir) => {
      const key = outputsKey(version, jdk.major);
      await restoreOutputs(dir, dirs.outputs, key);
      try {
        await runSbt({ ...ctx, buildDir: dir }, cmd.file, cmd.args, stepEnv, `sbt ${tasks.join(' ')}`);
      } finally {
        await rm(dirs.tmp, { recursive: true, force: true });
      }
      await saveOutputs(dir, dirs.outputs, key);
    });
    const scripts = await stagedScripts(ctx.buildDir);
    if (scripts.length > 0 && ctx.env.KEEP_SBT_CACHE !== 'true') await dropCompileArtifacts(ctx);
    if (usesPlay(projectSbtText(await projectSbtFiles(ctx.buildDir)))) await writeProfileScript(ctx.buildDir, 'scala.sh', [PLAY_PROFILE_LINE]);
    const web = stagedWebCommand(scripts);
    if (!web) {
      ctx.log(scripts.length === 0
        ? `${INDENT}No staged app in target/universal/stage/bin/ (sbt-native-packager's stage): name the web process in a Procfile`
        : `${INDENT}Several staged scripts (${scripts.join(', ')}): name the web process in a Procfile`);
    }
    return { defaultProcessTypes: web ? { web } : {}, runtime };
  },
};

/**
 * The key sbt's cached output is valid for: the sbt version and the JDK's major version, so a change of either
 * starts cold. Why the major and not the full version: classes and the compiled build differ by the class file
 * version a major targets, while a JDK patch update (17.0.12 → 17.0.13) would make every Scala app's next build
 * cold for output that is the same.
 */
export function outputsKey(sbtVersion: string, jdkMajor: number): string {
  return cacheKey({ sbt: sbtVersion, jdk: String(jdkMajor) });
}

/** The app's sbt script, else an sbt on the daemon's PATH, else the launcher jar (fetched once). */
async function chooseRunner(ctx: BuildContext, env: Record<string, string>): Promise<SbtRunner> {
  for (const name of ['sbt', 'sbtx']) if (await isFile(path.join(ctx.buildDir, name))) return { kind: 'script', file: `./${name}` };
  const onPath = await findOnPath('sbt', env.PATH ?? '');
  if (onPath) return { kind: 'path', file: onPath };
  return { kind: 'launcher', file: await sbtLauncher(ctx) };
}

/** The cache's sbt folders, an empty temp folder, and minik's global settings file. */
function prepareDirs(dirs: SbtDirs): void {
  // Folders and a 400-byte file: synchronous, as core/files.ts says why.
  for (const dir of [dirs.home, dirs.ivy, dirs.coursier, dirs.boot, dirs.global, dirs.outputs]) mkdirSync(dir, { recursive: true });
  mkdirSync(dirs.tmp, { recursive: true });
  const settings = path.join(dirs.global, 'minik.sbt');
  if (readText(settings) !== GLOBAL_SETTINGS) writeFileSync(settings, GLOBAL_SETTINGS);
}

/**
 * Runs `fn` with the build folder moved to builds/APP/sbt/APP and back. Why: sbt names a root project that the
 * build leaves unnamed after its folder, and keys its cached dependency resolution on that name; a folder named
 * by build id made every redeploy resolve again (the hello fixture's warm build: 49 s instead of 29 s, 2 busy
 * cores). A daemon killed meanwhile leaves the folder under builds/APP, which the next daemon deletes.
 */
async function inStableFolder(ctx: BuildContext, fn: (dir: string) => Promise<void>): Promise<void> {
  const stable = path.join(path.dirname(ctx.buildDir), 'sbt', ctx.app);
  await rm(stable, { recursive: true, force: true });
  mkdirSync(path.dirname(stable), { recursive: true });
  await rename(ctx.buildDir, stable);
  try {
    await fn(stable);
  } finally {
    await rename(stable, ctx.buildDir);
  }
}

const SBT_REPOSITORIES = 'drop or replace the resolver or plugin that needs it (build.sbt, project/plugins.sbt)';

/**
 * Runs sbt; a build without a `stage` task fails with what to add instead of sbt's "Not a valid key", and one whose
 * dependencies sit on a repository this machine cannot reach names that repository in one sentence.
 */
async function runSbt(ctx: BuildContext, file: string, args: string[], env: Record<string, string>, label: string): Promise<void> {
  let missingStage = false;
  const watch: BuildContext = { ...ctx, log: (line) => { if (isMissingStage(line)) missingStage = true; ctx.log(line); } };
  try {
    await runReportingRepositories(watch, 'sbt', file, args, { cwd: ctx.buildDir, env, label }, SBT_REPOSITORIES);
  } catch (err) {
    if (!missingStage || ctx.signal?.aborted || !(err instanceof MinikError)) throw err;
    throw new MinikError("sbt build failed: the app has no 'stage' task (Heroku's default tasks are 'compile stage')", {
      code: 'build_failed',
      hint: 'add sbt-native-packager (project/plugins.sbt: addSbtPlugin("com.github.sbt" % "sbt-native-packager" % "1.11.7"), build.sbt: enablePlugins(JavaAppPackaging)), '
        + 'or set SBT_TASKS to the tasks that build the app (minik config:set SBT_TASKS=...) and name the web process in a Procfile',
    });
  }
}

/**
 * Puts the previous build's sbt output back (target, project/target, project/project/target) when it was saved with
 * `key`, so sbt reuses its compiled build and zinc its analysis; a failed copy leaves a cold build.
 */
async function restoreOutputs(buildDir: string, outputs: string, key: string): Promise<void> {
  for (const rel of SBT_OUTPUTS) {
    const { cacheDir, name } = outputSlot(outputs, rel);
    if (!(await isCached(cacheDir, name, key))) continue;
    const dest = path.join(buildDir, rel);
    mkdirSync(path.dirname(dest), { recursive: true });
    await restoreCached(cacheDir, name, dest);
  }
  // The port file of an sbt shell running in the developer's copy: this build must not talk to that server.
  await rm(path.join(buildDir, 'project', 'target', 'active.json'), { force: true });
}

/**
 * Copies sbt's output to the cache under `key`; a crash leaves the old copy or none. The staged app is moved aside
 * meanwhile: every `stage` makes it afresh, so copying it (the Play app's jars) into the cache was time for nothing.
 */
async function saveOutputs(buildDir: string, outputs: string, key: string): Promise<void> {
  for (const rel of SBT_OUTPUTS) {
    const src = path.join(buildDir, rel);
    if (!(await isDirectory(src))) continue;
    const { cacheDir, name } = outputSlot(outputs, rel);
    const staged = rel === 'target' && (await isDirectory(path.join(src, STAGED_APP))) ? path.join(src, STAGED_APP) : null;
    const aside = path.join(buildDir, `.minik-staged-${process.pid}`);
    if (staged) await rename(staged, aside);
    try {
      await saveCached(cacheDir, name, key, src);
    } finally {
      if (staged) await rename(aside, staged);
    }
  }
}

/** The build's project/*.sbt files (where sbt plugins are added), by path, as the Dockerfile export reads them. */
async function projectSbtFiles(buildDir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of await readdir(path.join(buildDir, 'project')).catch(() => [] as string[])) {
    const rel = `project/${name}`;
    if (isProjectSbtFile(rel)) files[rel] = readText(path.join(buildDir, rel)) ?? '';
  }
  return files;
}

/** sbt-native-packager's start scripts (executable files in a stage/bin folder), relative to the build folder. */
async function stagedScripts(root: string): Promise<string[]> {
  const found = new Set<string>();
  for (const pattern of STAGE_BIN_PATTERNS) {
    for (const dir of await expand(root, pattern)) {
      for (const name of await readdir(path.join(root, dir)).catch(() => [] as string[])) {
        const st = statOrNull(path.join(root, dir, name));
        if (st?.isFile() && (st.mode & 0o111) !== 0) found.add(path.join(dir, name));
      }
    }
  }
  return [...found].sort();
}

/** The folders under `root` matching `segments`, where '*' is any visible sub-folder. */
async function expand(root: string, segments: readonly string[]): Promise<string[]> {
  let dirs = [''];
  for (const segment of segments) {
    const next: string[] = [];
    for (const dir of dirs) {
      if (segment !== '*') {
        if (await isDirectory(path.join(root, dir, segment))) next.push(path.join(dir, segment));
        continue;
      }
      const entries = await readdir(path.join(root, dir), { withFileTypes: true }).catch(() => []);
      for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') next.push(path.join(dir, e.name));
    }
    dirs = next;
  }
  return dirs;
}

/**
 * As Heroku does for sbt-native-packager apps (KEEP_SBT_CACHE=true keeps them): the staged app holds the
 * app's jars, so the compiled classes and sbt's state leave the slug (the build cache has them).
 */
async function dropCompileArtifacts(ctx: BuildContext): Promise<void> {
  ctx.log('-----> Dropping compilation artifacts from the slug');
  for (const rel of SBT_OUTPUTS) {
    const dir = path.join(ctx.buildDir, rel);
    if (rel !== 'target') {
      await rm(dir, { recursive: true, force: true });
      await rmdir(path.dirname(dir)).catch(() => {}); // project/project, when sbt made it for its output alone
      continue;
    }
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      if (!SLUG_KEEPS_IN_TARGET.includes(name)) await rm(path.join(dir, name), { recursive: true, force: true });
    }
  }
}
