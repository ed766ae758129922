// Why: Heroku's Python buildpack runs Django's collectstatic during the build (Django apps serve their
// static files with WhiteNoise from STATIC_ROOT, and fail at the first page without the manifest). The
// same rule here: manage.py and Django in the venv, unless DISABLE_COLLECTSTATIC is set.
import path from 'node:path';
import { MinikError } from '../core/errors.js';
import { probeStep, runStep } from './exec.js';
import { pythonEnv, type PythonContext } from './python-install.js';
import { INDENT, isFile } from './util.js';

/** Runs `python manage.py collectstatic --noinput` for a Django app, as Heroku does. */
export async function collectStatic(ctx: PythonContext): Promise<void> {
  if (!(await isFile(path.join(ctx.buildDir, 'manage.py')))) return;
  const disabled = ctx.env.DISABLE_COLLECTSTATIC;
  if (disabled !== undefined && disabled !== '' && disabled !== '0') {
    ctx.log(`${INDENT}Skipping Django collectstatic (DISABLE_COLLECTSTATIC is set)`);
    return;
  }
  const python = path.join(ctx.buildDir, '.venv', 'bin', 'python');
  const opts = { cwd: ctx.buildDir, env: pythonEnv(ctx) };
  if ((await probeStep(ctx, python, ['-c', 'import django'], opts)).failed) return;
  ctx.log('-----> $ python manage.py collectstatic --noinput');
  try {
    await runStep(ctx, python, ['manage.py', 'collectstatic', '--noinput'], { ...opts, label: 'python manage.py collectstatic --noinput' });
  } catch (err) {
    if (!(err instanceof MinikError) || err.code !== 'build_failed' || err.message.startsWith('build canceled')) throw err;
    throw new MinikError(err.message, { code: err.code, hint: "fix the error above, or skip this step with 'minik config:set DISABLE_COLLECTSTATIC=1'" });
  }
}
