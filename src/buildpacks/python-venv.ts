// Why: a venv records absolute paths (console-script shebangs, activate); making it relocatable lets
// the build cache hold a copy that works in any later slug, and keeps every slug self-contained so a
// rollback never depends on what the cache holds now.
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { invalid, errorMessage } from '../core/errors.js';

// A POSIX sh line that Python reads as a string: the script runs the python beside its own real path.
const trampoline = (exe: string) =>
  `#!/bin/sh\n'''exec' "$(dirname -- "$(realpath -- "$0")")"/'${exe}' "$0" "$@"\n' '''\n`;

/**
 * Rewrites the files in `venv/bin` that name the venv's absolute path so they find it at run time
 * instead: script shebangs (both pip forms) and `activate`. Returns how many files changed.
 */
export async function makeRelocatable(venv: string): Promise<number> {
  const bin = path.join(venv, 'bin');
  let changed = 0;
  for (const entry of await readdir(bin, { withFileTypes: true })) {
    if (!entry.isFile()) continue; // python, python3: symlinks to the base interpreter, fine anywhere
    const file = path.join(bin, entry.name);
    if (entry.name === 'activate.csh' || entry.name === 'activate.fish') {
      await rm(file, { force: true }); // hold the absolute path; minik's .profile.d does their job
      changed++;
      continue;
    }
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text === null || !text.startsWith('#')) continue;
    const rewritten = entry.name === 'activate' ? relocateActivate(text, venv) : relocateScript(text, venv);
    if (rewritten !== text) {
      await writeFile(file, rewritten);
      changed++;
    }
  }
  return changed;
}

/** A console script with its absolute shebang (or pip's long-path sh form) replaced by the trampoline. */
export function relocateScript(text: string, venv: string): string {
  const bin = `${venv}/bin/`;
  const direct = /^#!(\S+)[^\n]*\n/.exec(text);
  if (direct && direct[1]!.startsWith(bin)) {
    return trampoline(path.basename(direct[1]!)) + text.slice(direct[0].length);
  }
  const long = /^#!\/bin\/sh\n'''exec' "([^"]+)" "\$0" "\$@"\n' '''\n/.exec(text);
  if (long && long[1]!.startsWith(bin)) return trampoline(path.basename(long[1]!)) + text.slice(long[0].length);
  return text;
}

/** `activate` computing VIRTUAL_ENV from its own location instead of the build-time path. */
export function relocateActivate(text: string, venv: string): string {
  const here = '"$(cd "$(dirname -- "${BASH_SOURCE:-$0}")/.." && pwd)"';
  return text.split(`"${venv}"`).join(here).split(`'${venv}'`).join(here);
}

/** True when requirements.txt has a line pip would act on (not blank, not a comment). */
export function hasRequirementLines(text: string): boolean {
  return requirementLines(text).length > 0;
}

/**
 * True when requirements.txt points at files whose contents its own text does not pin: local paths,
 * editable installs, file: URLs, other requirement or constraint files. A venv cached under the text
 * alone could then be stale, so such builds always install (pip's own cache still saves downloads).
 */
export function namesLocalFiles(text: string): boolean {
  return requirementLines(text).some((t) => /^(\.|\/|~|file:|-e\b|--editable\b|-r\b|--requirement\b|-c\b|--constraint\b)/.test(t));
}

function requirementLines(text: string): string[] {
  return text.split(/\r?\n/).map((line) => line.trim()).filter((t) => t !== '' && !t.startsWith('#'));
}

/** requirements.txt lines for Pipfile.lock's default packages (pinned versions; markers kept). */
export function pipfileLockRequirements(text: string, file = 'Pipfile.lock'): string {
  let lock: { default?: Record<string, { version?: string; markers?: string }> };
  try {
    lock = JSON.parse(text);
  } catch (err) {
    throw invalid(`${file} is not valid JSON: ${errorMessage(err)}`, `regenerate it with 'pipenv lock'`);
  }
  return Object.entries(lock.default ?? {})
    .map(([name, spec]) => `${name}${spec.version ?? ''}${spec.markers ? ` ; ${spec.markers}` : ''}`)
    .join('\n');
}
