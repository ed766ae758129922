// Why: the environment a classic buildpack's scripts see: ENV_DIR (one file per config var, as Heroku
// lays it out) and what each earlier buildpack's `export` file adds.
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ConfigVars } from '../../core/types.js';
import { buildEnv, runStep } from '../exec.js';
import type { BuildContext } from '../types.js';

/** Writes ENV_DIR: a 0700 folder with one 0600 file per config var (file name = key, contents = value). */
export async function writeEnvDir(dir: string, config: ConfigVars): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  for (const [key, value] of Object.entries(config)) await writeFile(path.join(dir, key), value, { mode: 0o600 });
}

/** Parses `env -0` output into variables. */
export function parseEnvZero(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const entry of text.split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0) vars[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return vars;
}

// Set by the shell itself, not by an export file; MINIK_* variables are minik's (a step's ownership marker).
const SHELL_OWN = new Set(['_', 'PWD', 'SHLVL', 'OLDPWD']);

/**
 * The variables that sourcing `files` in order (Heroku's multi-buildpack rule: each later buildpack
 * sees every earlier one's `export`) sets or changes, compared with `base`. Sourced by /bin/sh, since
 * an export file is a shell script.
 */
export async function exportedVariables(ctx: BuildContext, files: string[], base: Record<string, string>, scratch: string): Promise<Record<string, string>> {
  if (files.length === 0) return {};
  const out = path.join(scratch, 'exported.env');
  const script = 'out=$1; shift; for f in "$@"; do . "$f"; done; exec env -0 > "$out"';
  await runStep(ctx, '/bin/sh', ['-c', script, 'sh', out, ...files], { cwd: ctx.buildDir, env: base, label: 'sourcing the export files of earlier buildpacks' });
  const after = parseEnvZero(await readFile(out, 'utf8'));
  await rm(out, { force: true });
  const changed: Record<string, string> = {};
  for (const [key, value] of Object.entries(after)) {
    if (base[key] !== value && !SHELL_OWN.has(key) && !key.startsWith('MINIK_')) changed[key] = value;
  }
  return changed;
}

/** The daemon's environment for a classic buildpack's scripts, plus Heroku's build variables and `extra`. */
export function classicEnv(extra: Record<string, string>, dirs: { build: string; cache: string; env: string }, sourceVersion?: string): Record<string, string> {
  return buildEnv({
    ...extra,
    STACK: 'heroku-24',
    BUILD_DIR: dirs.build,
    CACHE_DIR: dirs.cache,
    ENV_DIR: dirs.env,
    ...(sourceVersion ? { SOURCE_VERSION: sourceVersion } : {}),
  });
}
