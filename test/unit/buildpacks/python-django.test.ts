// Heroku's Python buildpack runs Django's collectstatic during the build; so does minik (found while running
// heroku/python-getting-started: without it every page fails with "Missing staticfiles manifest entry").
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pythonBuildpack } from '../../../src/buildpacks/python.js';
import { buildContext, tempDirs } from './helpers.js';

const temp = tempDirs();
afterAll(() => temp.cleanup());

/** A Django-shaped app without network: a local `django` package and a manage.py that records its arguments. */
async function djangoApp(): Promise<string> {
  const dir = await temp.make();
  await writeFile(path.join(dir, 'requirements.txt'), '# nothing from PyPI\n');
  await mkdir(path.join(dir, 'django'));
  await writeFile(path.join(dir, 'django', '__init__.py'), '');
  await writeFile(path.join(dir, 'manage.py'), 'import sys\nopen("ran.txt", "w").write(" ".join(sys.argv[1:]))\nprint("1 static file copied")\n');
  return dir;
}

describe('python buildpack: Django apps', () => {
  it('runs manage.py collectstatic --noinput when Django is importable', async () => {
    const dir = await djangoApp();
    const ctx = buildContext(dir, await temp.make());
    await pythonBuildpack.build(ctx);
    expect(ctx.lines).toContain('-----> $ python manage.py collectstatic --noinput');
    expect(ctx.lines).toContain('       1 static file copied');
    expect(await readFile(path.join(dir, 'ran.txt'), 'utf8')).toBe('collectstatic --noinput');
  }, 60_000);

  it('skips it with DISABLE_COLLECTSTATIC=1, as on Heroku', async () => {
    const dir = await djangoApp();
    const ctx = buildContext(dir, await temp.make(), { DISABLE_COLLECTSTATIC: '1' });
    await pythonBuildpack.build(ctx);
    expect(ctx.lines).toContain('       Skipping Django collectstatic (DISABLE_COLLECTSTATIC is set)');
    await expect(readFile(path.join(dir, 'ran.txt'), 'utf8')).rejects.toThrow();
  }, 60_000);

  it('fails the build when collectstatic fails, and says how to skip it', async () => {
    const dir = await djangoApp();
    await writeFile(path.join(dir, 'manage.py'), 'raise SystemExit("STATIC_ROOT is not set")\n');
    const ctx = buildContext(dir, await temp.make());
    await expect(pythonBuildpack.build(ctx)).rejects.toMatchObject({
      message: "build failed: 'python manage.py collectstatic --noinput' exited with status 1",
      hint: "fix the error above, or skip this step with 'minik config:set DISABLE_COLLECTSTATIC=1'",
    });
  }, 60_000);
});
