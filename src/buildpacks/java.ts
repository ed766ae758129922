// Why: Heroku's Java buildpack, locally: Maven (or the app's Maven/Gradle wrapper) with the system's
// JDK, the dependency repository kept in the build cache, and `java -jar` of the built jar as web.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { MinikError } from '../core/errors.js';
import { buildEnv, runStep } from './exec.js';
import { chooseJdk, installedJdks, requestedJavaVersion } from './java-jdk.js';
import { requireTool } from './toolchain.js';
import { INDENT, hasAnyFile, isFile, shellQuote, writeProfileScript } from './util.js';
import type { BuildContext, BuildResult, Buildpack } from './types.js';

const MAVEN = { command: 'mvn', what: 'Maven', debian: 'maven' };
const GRADLE_FILES = ['build.gradle', 'build.gradle.kts'] as const;

// Jars a build leaves beside the runnable one: sources, docs, tests, Spring Boot's plain jar, shade's original.
const NOT_RUNNABLE = /(-sources|-javadoc|-tests|-test-sources|-plain)\.jar$|^original-/;

/** The one runnable jar among a build folder's file names, or null when there is none or several. */
export function runnableJar(names: string[]): string | null {
  const jars = names.filter((n) => n.endsWith('.jar') && !NOT_RUNNABLE.test(n));
  return jars.length === 1 ? jars[0]! : null;
}

/**
 * `.profile.d/java.sh`: the chosen JDK first on PATH and, when MINIK_MEMORY_LIMIT is set and no -Xmx
 * was given, a heap of 75% of it in JAVA_TOOL_OPTIONS (read at dyno start, so config:set applies it).
 */
export function javaProfileLines(javaHome: string): string[] {
  return [
    `export JAVA_HOME=${shellQuote(javaHome)}`,
    'export PATH="$JAVA_HOME/bin:$PATH"',
    'minik_heap_mb() {',
    `  set -- $(printf '%s' "$1" | sed -n 's/^ *\\([0-9][0-9]*\\) *\\([kKmMgG]\\{0,1\\}\\)[iI]\\{0,1\\}[bB]\\{0,1\\} *$/\\1 \\2/p')`,
    '  [ $# -ge 1 ] || return 0',
    '  case "${2:-}" in k|K) b=$(($1 * 1024)) ;; m|M) b=$(($1 * 1048576)) ;; g|G) b=$(($1 * 1073741824)) ;; *) b=$1 ;; esac',
    '  echo $((b * 3 / 4 / 1048576))',
    '}',
    'case " ${JAVA_TOOL_OPTIONS:-} ${JAVA_OPTS:-} " in',
    '  *" -Xmx"*) ;;',
    '  *) minik_heap=$(minik_heap_mb "${MINIK_MEMORY_LIMIT:-}")',
    '     if [ -n "$minik_heap" ] && [ "$minik_heap" -gt 0 ]; then export JAVA_TOOL_OPTIONS="-Xmx${minik_heap}m${JAVA_TOOL_OPTIONS:+ $JAVA_TOOL_OPTIONS}"; fi ;;',
    'esac',
    'unset minik_heap',
    'unset -f minik_heap_mb',
  ];
}

/** Detected by pom.xml (Maven) or build.gradle(.kts) (Gradle). */
export const javaBuildpack: Buildpack = {
  name: 'java',
  detect: (dir) => hasAnyFile(dir, ['pom.xml', ...GRADLE_FILES]),
  async build(ctx): Promise<BuildResult> {
    ctx.log('-----> Java app detected');
    const properties = await readFile(path.join(ctx.buildDir, 'system.properties'), 'utf8').catch(() => '');
    const requested = requestedJavaVersion(properties);
    const jdk = chooseJdk(await installedJdks(buildEnv(ctx.env)), requested);
    ctx.log(`${INDENT}Using JDK ${jdk.version} (${jdk.home})${requested ? ` for java.runtime.version=${requested}` : ''}`);
    const env = buildEnv({ ...ctx.env, JAVA_HOME: jdk.home, PATH: `${path.join(jdk.home, 'bin')}${path.delimiter}${ctx.env.PATH ?? process.env.PATH ?? ''}` });
    const maven = await isFile(path.join(ctx.buildDir, 'pom.xml'));
    const outDir = maven ? await buildWithMaven(ctx, env) : await buildWithGradle(ctx, env);
    await writeProfileScript(ctx.buildDir, 'java.sh', javaProfileLines(jdk.home));
    const jar = runnableJar(await readdir(path.join(ctx.buildDir, outDir)).catch(() => []));
    if (!jar) {
      ctx.log(`${INDENT}No single runnable jar in ${outDir}/: name the web process in a Procfile`);
      return { defaultProcessTypes: {} };
    }
    return { defaultProcessTypes: { web: `java -Dserver.port=$PORT $JAVA_OPTS -jar ${shellQuote(`${outDir}/${jar}`)}` } };
  },
};

/** `./mvnw` (or the system's mvn) `-DskipTests -B package`, the repository in the cache; returns target. */
async function buildWithMaven(ctx: BuildContext, env: Record<string, string>): Promise<string> {
  const wrapper = await isFile(path.join(ctx.buildDir, 'mvnw'));
  if (!wrapper) await requireTool('Java', MAVEN, env);
  const repo = path.join(ctx.cacheDir, 'm2', 'repository');
  const args = ['-DskipTests', '-B', '--no-transfer-progress', `-Dmaven.repo.local=${repo}`, 'package'];
  ctx.log(`-----> Executing: ${wrapper ? './mvnw' : 'mvn'} ${args.join(' ')}`);
  const mavenEnv = { ...env, MAVEN_USER_HOME: path.join(ctx.cacheDir, 'm2') }; // where mvnw keeps the Maven it downloads
  if (wrapper) await runStep(ctx, 'sh', ['./mvnw', ...args], { cwd: ctx.buildDir, env: mavenEnv, label: './mvnw package' });
  else await runStep(ctx, 'mvn', args, { cwd: ctx.buildDir, env: mavenEnv, label: 'mvn package' });
  return 'target';
}

/** `./gradlew build -x test`, Gradle's home in the cache; returns build/libs. */
async function buildWithGradle(ctx: BuildContext, env: Record<string, string>): Promise<string> {
  if (!(await isFile(path.join(ctx.buildDir, 'gradlew')))) {
    throw new MinikError('Gradle app detected, but it has no gradlew (Gradle wrapper)', {
      code: 'build_failed',
      hint: "add the wrapper with 'gradle wrapper' and commit gradlew and gradle/wrapper/, then run minik up again",
    });
  }
  ctx.log('-----> Executing: ./gradlew build -x test');
  const gradleEnv = { ...env, GRADLE_USER_HOME: path.join(ctx.cacheDir, 'gradle') };
  await runStep(ctx, 'sh', ['./gradlew', 'build', '-x', 'test', '--no-daemon'], { cwd: ctx.buildDir, env: gradleEnv, label: './gradlew build' });
  return path.join('build', 'libs');
}
