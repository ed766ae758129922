// Why: Heroku's Python buildpack, locally: a venv in the slug with the app's requirements, cached
// between builds, with the system python3 as interpreter.
import path from 'node:path';
import { MinikError } from '../core/errors.js';
import { readText } from '../core/files.js';
import { probeStep } from './exec.js';
import type { Runtime } from '../core/types.js';
import { collectStatic } from './python-django.js';
import { buildVenv, pythonEnv, type PythonContext, type PythonPlan } from './python-install.js';
import { describeSelection, selectPython } from './runtime/index.js';
import { INDENT, hasAnyFile, hasFileWithExtension, writeProfileScript } from './util.js';
import type { Buildpack } from './types.js';

const DEPENDENCY_FILES = ['requirements.txt', 'pyproject.toml', 'Pipfile.lock', 'poetry.lock', 'uv.lock'] as const;
const VERSION_FILES = ['.python-version', 'runtime.txt'] as const;

/** Detected by a dependency file, or by a version file next to a *.py file. */
export const pythonBuildpack: Buildpack = {
  name: 'python',
  async detect(dir) {
    if (await hasAnyFile(dir, DEPENDENCY_FILES)) return true;
    return (await hasAnyFile(dir, VERSION_FILES)) && (await hasFileWithExtension(dir, '.py'));
  },
  async build(ctx) {
    ctx.log('-----> Python app detected');
    const selected = await selectPython(ctx);
    const pctx: PythonContext = { ...ctx, runtime: selected?.runtime };
    const version = await pythonVersion(pctx);
    const runtime: Runtime = { language: 'python', ...version };
    ctx.log(INDENT + describeSelection({ runtime, request: selected?.request ?? null }, "no .python-version or runtime.txt; python3 on the daemon's PATH"));
    const plan = await readPlan(ctx.buildDir);
    const venv = plan.requirements !== null || plan.pyproject !== null || plan.pipfileLock !== null;
    if (venv) await buildVenv(pctx, plan, `${version.version} ${version.executable}`);
    if (venv) await collectStatic(pctx);
    else ctx.log(`${INDENT}No requirements.txt or pyproject.toml: the app runs with python ${version.version} as is`);
    await writeProfileScript(ctx.buildDir, 'python.sh', [
      ...(venv ? ['export VIRTUAL_ENV="$PWD/.venv"', 'export PATH="$PWD/.venv/bin:$PATH"'] : []),
      'export PYTHONUNBUFFERED="${PYTHONUNBUFFERED:-1}"',
      // As Heroku's Python buildpack sets them: gunicorn trusts X-Forwarded-Proto from the router (whose connections
      // reach a dual-stack bind as ::ffff:127.0.0.1, outside gunicorn's default list), and logs requests to stdout.
      "export FORWARDED_ALLOW_IPS='*'",
      'export GUNICORN_CMD_ARGS="${GUNICORN_CMD_ARGS:---access-logfile -}"',
    ]);
    return { defaultProcessTypes: {}, runtime }; // as on Heroku, a Python app names its processes in a Procfile
  },
};

async function readPlan(dir: string): Promise<PythonPlan> {
  const read = (name: string) => readText(path.join(dir, name));
  return { requirements: read('requirements.txt'), pyproject: read('pyproject.toml'), pipfileLock: read('Pipfile.lock') };
}

/** `python3 --version` plus the interpreter's real path: a venv is only valid for the one it was made with. */
async function pythonVersion(ctx: PythonContext): Promise<{ version: string; executable: string }> {
  const code = 'import sys, platform; print(platform.python_version()); print(sys.executable)';
  const r = await probeStep(ctx, 'python3', ['-c', code], { cwd: ctx.buildDir, env: pythonEnv(ctx) });
  if (r.failed) {
    throw new MinikError(`build failed: python3 could not run: ${r.code === 'ENOENT' ? 'not found' : r.stderr.trim()}`, {
      code: 'build_failed',
      hint: 'install python3 or put it on the PATH of the minik daemon, then run minik up again',
    });
  }
  const [version = '', executable = ''] = r.stdout.trim().split('\n');
  return { version, executable };
}
