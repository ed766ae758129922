// Why: Heroku's Java buildpack, locally: Maven (or the app's Maven/Gradle wrapper) with the system's
// JDK, the dependency repository kept in the build cache, and `java -jar` of the built jar as web.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { MinikError } from '../core/errors.js';
import { runStep } from './exec.js';
import { setUpJdk } from './java-jdk.js';
import { requireTool } from './toolchain.js';
import { INDENT, hasAnyFile, isFile, shellQuote } from './util.js';
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

/** Detected by pom.xml (Maven) or build.gradle(.kts) (Gradle). */
export const javaBuildpack: Buildpack = {
  name: 'java',
  detect: (dir) => hasAnyFile(dir, ['pom.xml', ...GRADLE_FILES]),
  async build(ctx): Promise<BuildResult> {
    ctx.log('-----> Java app detected');
    const { env, runtime } = await setUpJdk(ctx, 'Java');
    const maven = await isFile(path.join(ctx.buildDir, 'pom.xml'));
    const outDir = maven ? await buildWithMaven(ctx, env) : await buildWithGradle(ctx, env);
    const jar = runnableJar(await readdir(path.join(ctx.buildDir, outDir)).catch(() => []));
    if (!jar) {
      ctx.log(`${INDENT}No single runnable jar in ${outDir}/: name the web process in a Procfile`);
      return { defaultProcessTypes: {}, runtime };
    }
    return { defaultProcessTypes: { web: `java -Dserver.port=$PORT $JAVA_OPTS -jar ${shellQuote(`${outDir}/${jar}`)}` }, runtime };
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
