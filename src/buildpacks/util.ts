// Why: small file and shell helpers shared by the buildpacks.
import { mkdirSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { MinikError } from '../core/errors.js';
import { statOrNull } from '../core/files.js';

/** Detail lines are indented to line up under the text of a `-----> ` headline. */
export const INDENT = '       ';

/** True when `file` exists and is a regular file (following symlinks); a synchronous stat (core/files.ts says why). */
export async function isFile(file: string): Promise<boolean> {
  return statOrNull(file)?.isFile() ?? false;
}

/** True when `dir` holds a regular file with any of `names`. */
export async function hasAnyFile(dir: string, names: readonly string[]): Promise<boolean> {
  for (const name of names) if (await isFile(path.join(dir, name))) return true;
  return false;
}

/** True when `dir` (not its sub-folders) holds a file whose name ends with `ext`. */
export async function hasFileWithExtension(dir: string, ext: string): Promise<boolean> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.some((e) => (e.isFile() || e.isSymbolicLink()) && e.name.endsWith(ext));
  } catch {
    return false;
  }
}

/** One /bin/sh quoting rule, in core. */
export { shellQuote } from '../core/shell.js';

/** Writes `.profile.d/<name>` in the slug; the supervisor sources it (in the slug folder) before each dyno's command. */
export async function writeProfileScript(buildDir: string, name: string, lines: string[]): Promise<void> {
  const dir = path.join(buildDir, '.profile.d');
  mkdirSync(dir, { recursive: true }); // a few hundred bytes: synchronous, as core/files.ts says why
  writeFileSync(path.join(dir, name), `# Written by minik's buildpack; sourced before each dyno starts.\n${lines.join('\n')}\n`);
}

/** True when `dir` exists and is a folder (following symlinks); synchronous like isFile. */
export async function isDirectory(dir: string): Promise<boolean> {
  return statOrNull(dir)?.isDirectory() ?? false;
}

/**
 * Fails when `dir` holds whitespace. Why: Leiningen's script and sbt's (an app's ./sbt, an sbt on PATH) take Java
 * options from one variable (LEIN_JVM_OPTS, SBT_OPTS) split on spaces, so `-Duser.home=/a b/home` would reach java
 * as two arguments, and quoting inside the variable does not survive either script.
 */
export function requireNoSpaces(dir: string, tool: string): void {
  if (!/\s/.test(dir)) return;
  throw new MinikError(`${tool} cannot use the build cache at '${dir}': its script splits Java options on spaces`, {
    code: 'build_failed', hint: 'use a MINIK_HOME without spaces, then run minik up again',
  });
}
