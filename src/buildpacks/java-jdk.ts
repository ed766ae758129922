// Why: a JVM app (Java, Scala, Clojure) may name its JDK in system.properties (java.runtime.version); minik
// picks one of the JDKs installed on the system instead of downloading one, and says so when none matches.
import { readdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { MinikError } from '../core/errors.js';
import { javaMajor, requestedJavaVersion } from '../core/jdk.js';
import type { Runtime } from '../core/types.js';
import { buildEnv } from './exec.js';
import { findOnPath } from './toolchain.js';
import type { BuildContext } from './types.js';
import { INDENT, isFile, shellQuote, writeProfileScript } from './util.js';

/** An installed JDK: its home folder and major version. */
export interface Jdk {
  home: string;
  major: number;
  version: string;
}

/** Where Debian and most distributions install JDKs. */
export const JVM_DIR = '/usr/lib/jvm';

/** JAVA_VERSION from a JDK's `release` file, or null. */
export function releaseFileVersion(text: string): string | null {
  return /^JAVA_VERSION="?([^"\n]+)"?/m.exec(text)?.[1] ?? null;
}

/** The JDKs installed: JAVA_HOME, the one behind `java` on PATH, and each under /usr/lib/jvm; deduplicated by real path. */
export async function installedJdks(env: Record<string, string>, jvmDir = JVM_DIR): Promise<Jdk[]> {
  const homes: string[] = [];
  if (env.JAVA_HOME) homes.push(env.JAVA_HOME);
  const java = await findOnPath('java', env.PATH ?? '');
  if (java) homes.push(path.dirname(path.dirname(await realpath(java).catch(() => java))));
  for (const entry of await readdir(jvmDir).catch(() => [])) homes.push(path.join(jvmDir, entry));
  const seen = new Set<string>();
  const jdks: Jdk[] = [];
  for (const home of homes) {
    const real = await realpath(home).catch(() => null);
    if (!real || seen.has(real) || !(await isFile(path.join(real, 'bin', 'java')))) continue;
    seen.add(real);
    const version = releaseFileVersion(await readFile(path.join(real, 'release'), 'utf8').catch(() => ''));
    const major = version ? javaMajor(version) : null;
    if (version && major !== null) jdks.push({ home: real, major, version });
  }
  return jdks;
}

/**
 * The JDK to build and run with: the first installed one whose major version matches the request, or
 * the first found (JAVA_HOME, then `java` on PATH) when nothing is requested.
 */
export function chooseJdk(jdks: Jdk[], requested: string | null, language = 'Java'): Jdk {
  if (jdks.length === 0) {
    throw new MinikError(`${language} app detected, but no JDK was found (no java on PATH, JAVA_HOME or /usr/lib/jvm)`, {
      code: 'build_failed',
      hint: `install one (Debian: apt-get install openjdk-17-jdk-headless${language === 'Java' ? ' maven' : ''}), then run minik up again`,
    });
  }
  if (requested === null) return jdks[0]!;
  const major = javaMajor(requested);
  const match = jdks.find((j) => j.major === major);
  if (match) return match;
  const have = jdks.map((j) => `${j.version} (${j.home})`).join(', ');
  throw new MinikError(`system.properties asks for java.runtime.version=${requested}, but no installed JDK is Java ${major ?? requested}; installed: ${have}`, {
    code: 'build_failed',
    hint: `install it (Debian: apt-get install openjdk-${major ?? 'N'}-jdk-headless), or set java.runtime.version to ${jdks.map((j) => j.major).join(' or ')}`,
  });
}

/**
 * The JDK a JVM build uses, chosen by system.properties and logged: its env for the build steps (JAVA_HOME, its
 * bin first on PATH), `.profile.d/java.sh` for the dynos, and the runtime the release records (`minik info`).
 */
export async function setUpJdk(ctx: BuildContext, language: string): Promise<{ jdk: Jdk; env: Record<string, string>; runtime: Runtime }> {
  const properties = await readFile(path.join(ctx.buildDir, 'system.properties'), 'utf8').catch(() => '');
  const requested = requestedJavaVersion(properties);
  const jdk = chooseJdk(await installedJdks(buildEnv(ctx.env)), requested, language);
  ctx.log(`${INDENT}Using JDK ${jdk.version} (${jdk.home})${requested ? ` for java.runtime.version=${requested}` : ''}`);
  const env = buildEnv({ ...ctx.env, JAVA_HOME: jdk.home, PATH: `${path.join(jdk.home, 'bin')}${path.delimiter}${ctx.env.PATH ?? process.env.PATH ?? ''}` });
  await writeProfileScript(ctx.buildDir, 'java.sh', javaProfileLines(jdk.home));
  return { jdk, env, runtime: { language: 'java', version: jdk.version, executable: path.join(jdk.home, 'bin', 'java') } };
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

