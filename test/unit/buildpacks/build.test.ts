// runBuildpacks: explicit lists run through detect, the time limit names MINIK_BUILD_TIMEOUT, and the
// build context's AbortSignal (client gone) stops the running step.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBuildpacks, type BuildpacksInput } from '../../../src/buildpacks/index.js';
import { FIXTURES, copyFixture, tempDirs } from './helpers.js';

const temp = tempDirs();
afterAll(() => temp.cleanup());
const BP = path.join(FIXTURES, 'buildpacks');

// `home` is for the build steps' ownership marker (where BuildContext has one).
async function input(urls: string[] | null, extra: Partial<BuildpacksInput> = {}): Promise<BuildpacksInput & { lines: string[] }> {
  const root = await temp.make();
  const lines: string[] = [];
  return {
    app: 'test-app', home: root, buildDir: await copyFixture('buildpacks/app', root), env: { GREETING: 'hi' }, log: (l) => void lines.push(l), lines,
    cacheRoot: path.join(root, 'cache'), buildpacksHome: path.join(root, 'buildpacks'),
    list: urls && { urls, from: 'app' }, timeoutMs: 60_000, sourceVersion: 'c0ffee', ...extra,
  };
}

describe('runBuildpacks', () => {
  it('runs an explicit list in order and merges what bin/release says', async () => {
    const i = await input([path.join(BP, 'hello'), path.join(BP, 'second')]);
    const built = await runBuildpacks(i);
    expect(built).toEqual({
      defaultProcessTypes: { web: 'node server.js' },
      configVars: { HELLO_DEFAULT: 'from bin/release', GREETING: 'never shown once the config var is set' },
      buildpacks: [path.join(BP, 'hello'), path.join(BP, 'second')],
    });
    expect(await readFile(path.join(i.buildDir, 'source-version.txt'), 'utf8')).toBe('c0ffee');
    expect(await readFile(path.join(i.buildDir, 'exported.txt'), 'utf8')).toBe('exported by hello');
    expect(await readFile(path.join(i.buildDir, 'env-dir.txt'), 'utf8')).toBe('GREETING ');
    expect(i.lines).toContain('-----> Hello app detected');
    expect(i.lines).toContain('-----> Compiling with the hello buildpack v1');
  });

  it("fails with the buildpack's output when an explicitly listed buildpack does not detect the app", async () => {
    const i = await input([path.join(BP, 'hello')]);
    await import('node:fs/promises').then((fs) => fs.rm(path.join(i.buildDir, 'hello.txt')));
    await expect(runBuildpacks(i)).rejects.toThrow(`buildpack ${path.join(BP, 'hello')} does not detect this app (its detect failed)`);
    expect(i.lines.join('\n')).toContain('no hello.txt in the app');
  });

  it('stops a step that runs past the time limit, naming MINIK_BUILD_TIMEOUT', async () => {
    const i = await input([path.join(BP, 'hang')], { timeoutMs: 500 });
    await expect(runBuildpacks(i)).rejects.toThrow('build timed out after 0.5 seconds (MINIK_BUILD_TIMEOUT=0.5)');
  });

  it("stops when the build context's signal aborts (the client went away)", async () => {
    const controller = new AbortController();
    const i = await input([path.join(BP, 'hang')], { signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    await expect(runBuildpacks(i)).rejects.toThrow(/build canceled during/);
  });

  it('detects over the built-ins without a list', async () => {
    const i = await input(null);
    await writeFile(path.join(i.buildDir, 'Procfile'), 'web: node server.js\n');
    expect((await runBuildpacks(i)).buildpacks).toEqual(['procfile']);
  });
});
