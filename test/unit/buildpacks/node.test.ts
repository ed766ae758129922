import { execFile } from 'node:child_process';
import { access, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { MinikError } from '../../../src/core/errors.js';
import { nodeBuildpack, nodeProcessTypes } from '../../../src/buildpacks/node.js';
import { buildContext, copyFixture, tempDirs } from './helpers.js';

const temp = tempDirs();
afterAll(() => temp.cleanup());
const exists = (p: string) => access(p).then(() => true, () => false);

/** Builds fixtures/<fixture> twice into fresh copies sharing one cache folder. */
async function buildTwice(fixture: string) {
  const root = await temp.make();
  const cacheDir = path.join(root, 'cache');
  const first = buildContext(await copyFixture(fixture, root, 'build1'), cacheDir);
  const firstResult = await nodeBuildpack.build(first);
  const second = buildContext(await copyFixture(fixture, root, 'build2'), cacheDir);
  const secondResult = await nodeBuildpack.build(second);
  return { first, second, firstResult, secondResult };
}

describe('node buildpack: real npm builds', () => {
  it('builds node-hello with npm ci, then restores the cache on the next build', async () => {
    const { first, second, firstResult, secondResult } = await buildTwice('node-hello');
    expect(first.lines[0]).toBe('-----> Node.js app detected');
    expect(first.lines).toContain('-----> Installing dependencies');
    expect(first.lines).toContain('       npm ci');
    expect(second.lines).toContain('       Restoring cache');
    expect(second.lines).toContain('       Dependencies unchanged, skipping install');
    expect(second.lines).not.toContain('       npm ci');
    expect(await exists(path.join(second.buildDir, 'node_modules'))).toBe(true);
    expect(firstResult.defaultProcessTypes).toEqual({ web: 'node server.js' });
    expect(secondResult.defaultProcessTypes).toEqual({ web: 'node server.js' });
  });

  it('installs node-deps from the registry once and reuses node_modules after', async () => {
    const { first, second } = await buildTwice('node-deps');
    expect(first.lines).toContain('       npm ci');
    expect(second.lines).toContain('       Dependencies unchanged, skipping install');
    const ms = path.join(second.buildDir, 'node_modules', 'ms', 'package.json');
    expect(JSON.parse(await readFile(ms, 'utf8')).version).toBe('2.1.3');
    expect(await exists(path.join(second.cacheDir, 'npm'))).toBe(true); // npm's own cache lives in the build cache
  }, 120_000);

  it('runs the Heroku scripts in order with devDependencies, prunes them, and keeps them cached', async () => {
    const root = await temp.make();
    const cacheDir = path.join(root, 'cache');
    const makeApp = async (name: string) => {
      const dir = path.join(root, name);
      await mkdir(path.join(dir, 'local-tool'), { recursive: true });
      await writeFile(path.join(dir, 'local-tool', 'package.json'), '{"name":"local-tool","version":"1.0.0","main":"index.js"}');
      await writeFile(path.join(dir, 'local-tool', 'index.js'), 'module.exports = "tool";');
      const step = (name: string) => `node -e "require('local-tool'); require('fs').appendFileSync('order.txt', '${name}\\n')"`;
      await writeFile(path.join(dir, 'package.json'), JSON.stringify({
        name: 'scripts-app', version: '1.0.0',
        scripts: {
          'heroku-prebuild': `node -e "require('fs').appendFileSync('order.txt', 'heroku-prebuild\\n')"`,
          build: step('build'), 'heroku-build': step('heroku-build'), 'heroku-postbuild': step('heroku-postbuild'),
          start: 'node index.js',
        },
        devDependencies: { 'local-tool': 'file:./local-tool' },
      }));
      return dir;
    };
    const first = buildContext(await makeApp('build1'), cacheDir, { NODE_ENV: 'production' });
    await nodeBuildpack.build(first);
    expect(await readFile(path.join(first.buildDir, 'order.txt'), 'utf8')).toBe('heroku-prebuild\nheroku-build\nheroku-postbuild\n');
    expect(first.lines).toContain('       npm install');
    expect(first.lines).toContain('-----> Pruning devDependencies');
    expect(await exists(path.join(first.buildDir, 'node_modules', 'local-tool'))).toBe(false);
    // The next build skips the install, and its build scripts still find the devDependency.
    const second = buildContext(await makeApp('build2'), cacheDir, { NODE_ENV: 'production' });
    await nodeBuildpack.build(second);
    expect(second.lines).toContain('       Dependencies unchanged, skipping install');
    expect(await readFile(path.join(second.buildDir, 'order.txt'), 'utf8')).toBe('heroku-prebuild\nheroku-build\nheroku-postbuild\n');
    expect(await exists(path.join(second.buildDir, 'node_modules', 'local-tool'))).toBe(false);
  }, 60_000);

  it('shares cached node_modules by hard links unless a build script runs, and then skips install and prune', async () => {
    const root = await temp.make();
    const cacheDir = path.join(root, 'cache');
    const tarball = async (dir: string, name: string) => {
      const src = path.join(root, `${name}-src`, 'package');
      await mkdir(src, { recursive: true });
      await writeFile(path.join(src, 'package.json'), JSON.stringify({ name, version: '1.0.0', main: 'index.js' }));
      await writeFile(path.join(src, 'index.js'), `module.exports = '${name}';`);
      await promisify(execFile)('tar', ['-czf', path.join(dir, `${name}-1.0.0.tgz`), '-C', path.dirname(src), 'package']);
    };
    const makeApp = async (name: string, scripts: Record<string, string> = {}) => {
      const dir = path.join(root, name);
      await mkdir(dir, { recursive: true });
      await tarball(dir, 'dep-a');
      await tarball(dir, 'dev-b');
      await writeFile(path.join(dir, 'package.json'), JSON.stringify({
        name: 'shared-app', version: '1.0.0', scripts: { start: 'node index.js', ...scripts },
        dependencies: { 'dep-a': 'file:./dep-a-1.0.0.tgz' }, devDependencies: { 'dev-b': 'file:./dev-b-1.0.0.tgz' },
      }));
      return dir;
    };
    const ino = async (file: string) => (await stat(file)).ino;
    const first = buildContext(await makeApp('build1'), cacheDir);
    await nodeBuildpack.build(first);
    expect(first.lines).toContain('-----> Pruning devDependencies');
    // No build script: the next build restores the pruned tree, as links to the cache, and starts no npm at all.
    const second = buildContext(await makeApp('build2'), cacheDir);
    await nodeBuildpack.build(second);
    expect(second.lines).toContain('       Dependencies unchanged, skipping install and prune');
    expect(second.lines).not.toContain('-----> Pruning devDependencies');
    const depA = path.join(second.buildDir, 'node_modules', 'dep-a', 'index.js');
    expect(await readFile(depA, 'utf8')).toBe("module.exports = 'dep-a';");
    expect(await ino(depA)).toBe(await ino(path.join(cacheDir, 'node_modules-production', 'dep-a', 'index.js')));
    expect(await exists(path.join(second.buildDir, 'node_modules', 'dev-b'))).toBe(false);
    // npm rewrites its hidden lockfile in place: the slug gets its own copy.
    const hidden = path.join(second.buildDir, 'node_modules', '.package-lock.json');
    expect(await ino(hidden)).not.toBe(await ino(path.join(cacheDir, 'node_modules-production', '.package-lock.json')));
    // A build script may edit node_modules in place (patch-package): the cache then comes back as a real copy.
    const third = buildContext(await makeApp('build3', { build: `node -e "require('dev-b')"` }), cacheDir);
    await nodeBuildpack.build(third);
    expect(third.lines).toContain('       Dependencies unchanged, skipping install');
    expect(third.lines).toContain('-----> Pruning devDependencies');
    const copied = path.join(third.buildDir, 'node_modules', 'dep-a', 'index.js');
    expect(await ino(copied)).not.toBe(await ino(path.join(cacheDir, 'node_modules', 'dep-a', 'index.js')));
    expect(await exists(path.join(third.buildDir, 'node_modules', 'dev-b'))).toBe(false);
  }, 60_000);

  it('fails with the step and its exit status, and writes .profile.d/node.sh on success', async () => {
    const root = await temp.make();
    const dir = path.join(root, 'app');
    await mkdir(dir);
    await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'x', version: '1.0.0', scripts: { build: 'exit 2' } }));
    const err = await nodeBuildpack.build(buildContext(dir, path.join(root, 'cache'))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MinikError);
    expect((err as MinikError).code).toBe('build_failed');
    expect((err as MinikError).message).toBe("build failed: 'npm run build' exited with status 2");

    await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'x', version: '1.0.0' }));
    await writeFile(path.join(dir, 'server.js'), '');
    const result = await nodeBuildpack.build(buildContext(dir, path.join(root, 'cache')));
    expect(result.defaultProcessTypes).toEqual({ web: 'node server.js' });
    const { stdout } = await promisify(execFile)('/bin/sh', ['-c', '. ./.profile.d/node.sh && echo "$PATH" && echo "$NODE_ENV"'], { cwd: dir, env: { PATH: process.env.PATH } });
    const [pathVar, nodeEnv] = stdout.trim().split('\n');
    expect(pathVar!.split(':')[0]).toBe(path.join(dir, 'node_modules/.bin'));
    expect(pathVar!.split(':')).toContain(path.dirname(process.execPath));
    expect(nodeEnv).toBe('production');
  }, 60_000);

  it('rejects a package.json that is not JSON', async () => {
    const dir = await temp.make();
    await writeFile(path.join(dir, 'package.json'), '{ nope');
    const err = await nodeBuildpack.build(buildContext(dir, await temp.make())).catch((e: unknown) => e);
    expect((err as MinikError).message).toMatch(/^package\.json is not valid JSON: /);
  });
});

describe('nodeProcessTypes', () => {
  it('runs the start script directly, or npm start when pre/post hooks exist', async () => {
    const dir = await temp.make();
    expect(await nodeProcessTypes(dir, { scripts: { start: 'node app.js --port $PORT' } })).toEqual({ web: 'node app.js --port $PORT' });
    expect(await nodeProcessTypes(dir, { scripts: { start: 'node a.js', prestart: 'x' } })).toEqual({ web: 'npm start' });
  });

  it('falls back to node server.js, then to nothing', async () => {
    const dir = await temp.make();
    expect(await nodeProcessTypes(dir, {})).toEqual({});
    await writeFile(path.join(dir, 'server.js'), '');
    expect(await nodeProcessTypes(dir, { scripts: { build: 'x' } })).toEqual({ web: 'node server.js' });
  });
});
