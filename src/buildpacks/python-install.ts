// Why: filling the venv is the slow part of a Python build; this decides between restoring the cached
// venv and installing with pip, and runs pip the fastest way this machine allows.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cacheKey, isCached, restoreCached, saveCached } from './cache.js';
import { buildEnv, probeStep, runStep } from './exec.js';
import { hasRequirementLines, makeRelocatable, namesLocalFiles, pipfileLockRequirements } from './python-venv.js';
import type { Runtime } from '../core/types.js';
import { withRuntimePath } from './runtime/index.js';
import { INDENT } from './util.js';
import type { BuildContext } from './types.js';

/** What the build found: the files that say how to fill the venv (their text, or null when absent). */
export interface PythonPlan {
  requirements: string | null;
  pyproject: string | null;
  pipfileLock: string | null;
}

/** A build with the interpreter selected by .python-version or runtime.txt (null: python3 on PATH). */
export type PythonContext = BuildContext & { runtime?: Runtime | null };

/** How pip is run: the system python3's pip aimed at the venv (`--python`), or the venv's own pip. */
type Pip = { system: boolean };
const CACHE_NAME = 'venv';
/** A venv restored for requirements.txt or Pipfile.lock is shared with the cache (see cache.ts Shared). */
const NOTHING_COPIED = { copied: [] };

/**
 * Fills `.venv` in the slug. A cached venv (keyed by the dependency files and the interpreter) is
 * copied in instead of installing; venvs are made relocatable before caching so the copy works here.
 */
export async function buildVenv(ctx: PythonContext, plan: PythonPlan, interpreter: string): Promise<void> {
  ctx.log('-----> Installing dependencies');
  const venv = path.join(ctx.buildDir, '.venv');
  const key = cacheKey({ ...plan, python: `${interpreter} ${process.platform} ${process.arch}` });
  const cacheable = plan.requirements === null || !namesLocalFiles(plan.requirements);
  if (!cacheable) ctx.log(`${INDENT}requirements.txt names local files: installing without the venv cache`);
  else if (await isCached(ctx.cacheDir, CACHE_NAME, key)) {
    ctx.log(`${INDENT}Restoring cache`);
    // With a pyproject.toml pip reinstalls the app into the venv below: a copy; otherwise nothing writes to it.
    if (await restoreCached(ctx.cacheDir, CACHE_NAME, venv, plan.pyproject === null ? NOTHING_COPIED : null)) {
      ctx.log(`${INDENT}Dependencies unchanged, skipping install`);
      // The app's own package may have changed although its dependencies did not.
      if (plan.pyproject !== null) {
        await pip(ctx, await choosePip(ctx), venv, ['install', '--no-deps', '--force-reinstall', '.']);
        await makeRelocatable(venv);
      }
      return;
    }
  }
  await createVenv(ctx, plan, venv);
  if (!cacheable) return;
  ctx.log(`${INDENT}Caching .venv for the next build`);
  await saveCached(ctx.cacheDir, CACHE_NAME, key, venv);
}

async function createVenv(ctx: PythonContext, plan: PythonPlan, venv: string): Promise<void> {
  await rm(venv, { recursive: true, force: true });
  const requirements = plan.requirements !== null && hasRequirementLines(plan.requirements);
  const needsPip = requirements || plan.pyproject !== null || plan.pipfileLock !== null;
  const runner = needsPip ? await choosePip(ctx) : { system: true };
  const args = ['-m', 'venv', ...(runner.system ? ['--without-pip'] : []), venv];
  ctx.log(`${INDENT}python3 ${args.slice(0, -1).join(' ')} .venv`);
  await runStep(ctx, 'python3', args, { cwd: ctx.buildDir, env: pythonEnv(ctx), label: 'python3 -m venv .venv' });
  if (requirements) await pip(ctx, runner, venv, ['install', '-r', 'requirements.txt']);
  else if (plan.pyproject === null && plan.pipfileLock !== null) await installPipfileLock(ctx, runner, venv, plan.pipfileLock);
  if (plan.pyproject !== null) await pip(ctx, runner, venv, ['install', '.']);
  if (!needsPip) ctx.log(`${INDENT}requirements.txt lists no packages`);
  await makeRelocatable(venv);
}

/**
 * pip 22.3 and later can install into another environment (`--python`), so a venv made with
 * `--without-pip` skips ensurepip, which costs ~4 s per fresh venv. Older or missing system pip:
 * the venv gets its own.
 */
async function choosePip(ctx: PythonContext): Promise<Pip> {
  const r = await probeStep(ctx, 'python3', ['-m', 'pip', '--version'], { cwd: ctx.buildDir, env: pythonEnv(ctx) });
  const m = /^pip (\d+)\.(\d+)/.exec(r.failed ? '' : r.stdout);
  return { system: m !== null && (Number(m[1]) > 22 || (Number(m[1]) === 22 && Number(m[2]) >= 3)) };
}

async function installPipfileLock(ctx: PythonContext, runner: Pip, venv: string, lock: string): Promise<void> {
  await mkdir(ctx.cacheDir, { recursive: true });
  const dir = await mkdtemp(path.join(ctx.cacheDir, 'pipfile-'));
  try {
    await writeFile(path.join(dir, 'requirements.txt'), pipfileLockRequirements(lock));
    await pip(ctx, runner, venv, ['install', '-r', path.join(dir, 'requirements.txt')]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function pip(ctx: PythonContext, runner: Pip, venv: string, args: string[]): Promise<void> {
  const python = path.join(venv, 'bin', 'python');
  const [file, target] = runner.system ? ['python3', ['--python', python]] : [python, []];
  const full = ['-m', 'pip', ...target, ...args.slice(0, 1), '--disable-pip-version-check', ...args.slice(1)];
  ctx.log(`${INDENT}pip ${args.join(' ')}`);
  await runStep(ctx, file, full, { cwd: ctx.buildDir, env: pythonEnv(ctx), label: `pip ${args.join(' ')}` });
}

/** The environment of python and pip steps: config vars, pip's cache in the build cache. */
export function pythonEnv(ctx: PythonContext): Record<string, string> {
  return withRuntimePath(buildEnv({
    ...ctx.env,
    PIP_CACHE_DIR: path.join(ctx.cacheDir, 'pip'),
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    PIP_NO_INPUT: '1',
    PYTHONUNBUFFERED: '1',
  }), ctx.runtime);
}
