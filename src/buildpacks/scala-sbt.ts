// Why: the pure half of the Scala buildpack — what an sbt build reads (sbt.version, SBT_TASKS and friends),
// where sbt's caches go, and which staged script becomes the web process — so each rule is tested without a JVM.
import path from 'node:path';
import { MinikError } from '../core/errors.js';
import { SBT_LAUNCHER } from '../core/sbt.js';
import { requireNoSpaces, shellQuote } from './util.js';

/** Heroku's default tasks: `stage` is sbt-native-packager's, which builds target/universal/stage. */
export const DEFAULT_SBT_TASKS = 'compile stage';

/** The `sbt.version` line of project/build.properties (a Java properties file), with its line number; null when absent. */
export function parseSbtVersion(text: string): { version: string; line: number } | null {
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const m = /^\s*sbt\.version\s*(?:[=:]\s*|\s+)(\S*)\s*$/.exec(raw);
    if (m && !/^\s*[#!]/.test(raw)) return { version: m[1]!, line: i + 1 };
  }
  return null;
}

const PROPERTIES = 'project/build.properties';

/**
 * The sbt version the app builds with; a MinikError when project/build.properties does not name one (as on
 * Heroku, so the build does not depend on whichever sbt happens to boot) or names sbt 0.x, which cannot read
 * the slash syntax of the settings minik adds and whose modules are not on Maven Central.
 */
export function requireSbtVersion(text: string | null): string {
  const found = text === null ? null : parseSbtVersion(text);
  if (!found || found.version === '') {
    throw new MinikError(`Scala app detected, but ${text === null ? `it has no ${PROPERTIES}` : `${PROPERTIES} does not set sbt.version`}`, {
      code: 'build_failed',
      hint: `name the sbt your app builds with: put the line 'sbt.version=${SBT_LAUNCHER.version}' in ${PROPERTIES}, then run minik up again`,
    });
  }
  if (/^0\./.test(found.version)) {
    throw new MinikError(`${PROPERTIES} line ${found.line}: sbt.version=${found.version} is sbt 0.x, which minik does not build (sbt 1.x and 2.x only)`, {
      code: 'build_failed',
      hint: 'sbt 0.13 reached its end of life in 2018: migrate to sbt 1.x (https://www.scala-sbt.org/1.x/docs/Migrating-from-sbt-013x.html), then run minik up again',
    });
  }
  return found.version;
}

/** Words of a space-separated list (SBT_TASKS, SBT_OPTS), split as Heroku's buildpack's shell splits them. */
export function words(text: string | undefined): string[] {
  return (text ?? '').split(/\s+/).filter(Boolean);
}

/**
 * The sbt tasks of a build, as Heroku runs them: SBT_TASKS (default `compile stage`), with `clean` first
 * when SBT_CLEAN=true, and every task prefixed `PROJECT/` when SBT_PROJECT names one project of a multi-project build.
 */
export function sbtTasks(env: Record<string, string | undefined>): string[] {
  const tasks = words(env.SBT_TASKS?.trim() ? env.SBT_TASKS : DEFAULT_SBT_TASKS);
  if (env.SBT_CLEAN === 'true') tasks.unshift('clean');
  const project = env.SBT_PROJECT?.trim();
  return project ? tasks.map((t) => `${project}/${t}`) : tasks;
}

/** Where an app's sbt keeps its downloads and state, all inside the app's build cache (never the user's own home). */
export interface SbtDirs {
  /** user.home and HOME: whatever else sbt, a plugin or an sbt script keeps under ~ (JNA, sbt-extras' launchers). */
  home: string;
  /** ~/.ivy2 (sbt.ivy.home). */
  ivy: string;
  /** ~/.cache/coursier (sbt.coursier.home, whose cache/ is COURSIER_CACHE). */
  coursier: string;
  /** ~/.sbt/boot (sbt.boot.directory): the sbt versions the launcher booted. */
  boot: string;
  /** ~/.sbt/1.0 (sbt.global.base): compiled global settings, zinc's compiler bridges, minik's settings file. */
  global: string;
  /** java.io.tmpdir, emptied before and after each build. */
  tmp: string;
  /** The app's own sbt output between builds (target, project/target), as Heroku keeps target. */
  outputs: string;
}

/** The sbt folders under an app's cache folder for the Scala buildpack. */
export function sbtDirs(cacheDir: string): SbtDirs {
  const at = (...p: string[]) => path.join(cacheDir, ...p);
  return { home: at('home'), ivy: at('ivy2'), coursier: at('coursier'), boot: at('sbt', 'boot'), global: at('sbt', 'global'), tmp: at('tmp'), outputs: at('outputs') };
}

/**
 * The JVM options minik gives sbt, before the app's SBT_OPTS (which override them): sbt's own script's stack and
 * heap defaults, UTF-8 sources whatever the daemon's locale, every folder in the cache, and plain log lines.
 * C1 only (TieredStopAtLevel=1): a build is one short JVM, and on 2 busy cores C2's compiler threads cost more
 * than they gave: Heroku's Play getting-started app built warm in 23 s instead of 43 s, clean in 37 s instead of 72 s.
 * No hsperfdata file in /tmp (nothing outside the cache). On JDK 24 and later, sbt 1.x's use of sun.misc.Unsafe and JNA is allowed, as eight lines of warnings said.
 */
export function sbtJvmOptions(dirs: SbtDirs, jdkMajor = 17): string[] {
  return [
    '-Xss4m', '-Xmx1024m', '-XX:TieredStopAtLevel=1', '-XX:-UsePerfData', '-Dfile.encoding=UTF-8',
    ...(jdkMajor >= 24 ? ['--enable-native-access=ALL-UNNAMED', '--sun-misc-unsafe-memory-access=allow'] : []),
    `-Duser.home=${dirs.home}`, `-Dsbt.global.base=${dirs.global}`, `-Dsbt.boot.directory=${dirs.boot}`,
    `-Dsbt.ivy.home=${dirs.ivy}`, `-Dsbt.coursier.home=${dirs.coursier}`, `-Djava.io.tmpdir=${dirs.tmp}`,
    '-Dsbt.log.noformat=true', '-Dsbt.color=false', '-Dsbt.supershell=false', '-Dsbt.batch=true',
  ];
}

/**
 * Settings for every project of every build (a .sbt file in sbt.global.base), as Heroku's buildpack adds
 * with its plugin: no API docs or source jars (`stage` would build them for nothing), no batch-mode notice.
 */
export const GLOBAL_SETTINGS = [
  "// Written by minik's Scala buildpack, as Heroku's adds: no API docs or source jars for the staged app.",
  'Compile / doc / sources := Nil',
  'packageDoc / publishArtifact := false',
  'packageSrc / publishArtifact := false',
  'Global / suppressSbtShellNotification.withRank(KeyRanks.Invisible) := true',
  '',
].join('\n');

/**
 * What sbt makes in the build folder that the next build reuses: the app's classes and zinc analysis, the compiled
 * build, and the compiled meta-build. Only output folders: project/project may also hold the app's own meta-build
 * sources (*.scala, *.sbt), which a cached copy of the whole folder would overwrite with an older build's.
 */
export const SBT_OUTPUTS = ['target', path.join('project', 'target'), path.join('project', 'project', 'target')] as const;

/**
 * Where the cache keeps one of SBT_OUTPUTS, as cache.ts's restoreCached and saveCached name a cached folder: its
 * parent under `outputs`, mirroring the build's (outputs/project/project/target), and its own name.
 */
export function outputSlot(outputs: string, rel: string): { cacheDir: string; name: string } {
  return { cacheDir: path.join(outputs, path.dirname(rel)), name: path.basename(rel) };
}

/** target/universal: sbt-native-packager's staged app, which every `stage` makes afresh: the slug's, not the cache's. */
export const STAGED_APP = 'universal';

/** What of target/ a slug without compile output keeps: the staged app, and sbt 2's target/out, which holds it. */
export const SLUG_KEEPS_IN_TARGET: readonly string[] = [STAGED_APP, 'out'];

/** True for sbt's complaint about a build without sbt-native-packager (or another `stage` task). */
export function isMissingStage(line: string): boolean {
  return /Not a valid (?:key|command): stage\b/.test(line); // sbt says so for `stage` and for `web/stage` alike
}

/** Folders that may hold sbt-native-packager's staged scripts: the root project, sub-projects, and sbt 2's target/out. */
export const STAGE_BIN_PATTERNS: readonly string[][] = [
  ['target', 'universal', 'stage', 'bin'],
  ['*', 'target', 'universal', 'stage', 'bin'],
  ['*', '*', 'target', 'universal', 'stage', 'bin'],
  ['target', 'out', '*', '*', '*', 'universal', 'stage', 'bin'],
];

/**
 * Heroku's default web process: the one staged start script (`bin/NAME`, not `NAME.bat`) with Play's
 * `-Dhttp.port=$PORT`, which other apps ignore; null when there is none or more than one.
 */
export function stagedWebCommand(scripts: string[]): string | null {
  const unix = scripts.filter((s) => !s.endsWith('.bat'));
  return unix.length === 1 ? `${shellQuote(unix[0]!)} -Dhttp.port=$PORT` : null;
}

/** How sbt is started: the app's own script (`./sbt`, `./sbtx`), an sbt on PATH, or the launcher jar minik fetched. */
export type SbtRunner = { kind: 'script' | 'path' | 'launcher'; file: string };

/** How a build's log names the runner: the app's script, the sbt on PATH, or the launcher jar. */
export function describeRunner(runner: SbtRunner): string {
  if (runner.kind === 'script') return `the app's ${runner.file}`;
  if (runner.kind === 'path') return runner.file;
  return `sbt's launcher ${SBT_LAUNCHER.version} (${runner.file})`;
}

/**
 * Fails when sbt would get the cache folders (under `cacheDir`) through SBT_OPTS, which a script splits on spaces,
 * and they hold one. The launcher gets them as java's own arguments, whole.
 */
export function requireSplittableOptions(runner: SbtRunner, cacheDir: string): void {
  if (runner.kind !== 'launcher') requireNoSpaces(cacheDir, describeRunner(runner));
}

/**
 * The command line of an sbt build. Scripts get minik's JVM options and the app's SBT_OPTS through
 * SBT_OPTS, which sbt's script and sbt-extras both read; the launcher gets them as java's own arguments.
 */
export function sbtCommand(runner: SbtRunner, java: string, jvmOptions: string[], sbtOpts: string[], tasks: string[]): { file: string; args: string[]; sbtOptsEnv: string } {
  const options = [...jvmOptions, ...sbtOpts];
  const sbtOptsEnv = options.join(' ');
  if (runner.kind === 'script') return { file: 'bash', args: [runner.file, ...tasks], sbtOptsEnv };
  if (runner.kind === 'path') return { file: runner.file, args: tasks, sbtOptsEnv };
  return { file: java, args: [...options, '-jar', runner.file, ...tasks], sbtOptsEnv };
}

