import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withNodeDir } from '../../../src/core/env.js';
import { MinikError } from '../../../src/core/errors.js';
import { cacheKey, isCached, restoreCached, saveCached } from '../../../src/buildpacks/cache.js';
import { buildEnv, runStep } from '../../../src/buildpacks/exec.js';
import { buildContext, tempDirs } from './helpers.js';

const temp = tempDirs();
afterAll(() => temp.cleanup());

describe('runStep', () => {
  it('streams stdout and stderr lines into the log, indented 7 spaces', async () => {
    const dir = await temp.make();
    const ctx = buildContext(dir, dir);
    await runStep(ctx, 'sh', ['-c', 'echo one; echo two >&2; echo "$GREETING"'], { cwd: dir, env: buildEnv({ GREETING: 'hi there' }) });
    // stdout and stderr are separate pipes: lines arrive whole, their order across the two is not fixed.
    expect([...ctx.lines].sort()).toEqual(['       hi there', '       one', '       two']);
  });

  it('names the step and its exit status when it fails', async () => {
    const dir = await temp.make();
    const err = await runStep(buildContext(dir, dir), 'sh', ['-c', 'exit 3'], { cwd: dir, env: {}, label: 'npm ci' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MinikError);
    expect((err as MinikError).code).toBe('build_failed');
    expect((err as MinikError).message).toBe("build failed: 'npm ci' exited with status 3");
    expect((err as MinikError).hint).toBe('see the output above; fix it and run minik up again');
  });

  it('says when the command does not exist', async () => {
    const dir = await temp.make();
    const err = await runStep(buildContext(dir, dir), 'minik-no-such-tool', ['x'], { cwd: dir, env: buildEnv({}) }).catch((e: unknown) => e);
    expect((err as MinikError).message).toBe("build failed: 'minik-no-such-tool x' could not start: command not found");
  });

  it('leaves out the variables a parent npm run sets', () => {
    process.env.npm_lifecycle_event = 'test';
    try {
      const env = buildEnv({ EXTRA: '1' });
      expect(env.npm_lifecycle_event).toBeUndefined();
      expect(env.EXTRA).toBe('1');
      expect(env.PATH).toBe(withNodeDir(process.env.PATH ?? ''));
    } finally {
      delete process.env.npm_lifecycle_event;
    }
  });
});

describe('build cache', () => {
  it('keys on labelled parts', () => {
    expect(cacheKey({ a: 'x', b: 'y' })).toBe(cacheKey({ a: 'x', b: 'y' }));
    expect(cacheKey({ a: 'xy', b: '' })).not.toBe(cacheKey({ a: 'x', b: 'y' }));
    expect(cacheKey({ a: null })).not.toBe(cacheKey({ a: '' }));
  });

  it('saves a folder under a key and restores it only for that key', async () => {
    const root = await temp.make();
    const src = path.join(root, 'src');
    await mkdir(path.join(src, 'deep'), { recursive: true });
    await writeFile(path.join(src, 'deep', 'f.txt'), 'v1');
    const cacheDir = path.join(root, 'cache');
    expect(await isCached(cacheDir, 'mods', 'k1')).toBe(false);
    await saveCached(cacheDir, 'mods', 'k1', src);
    expect(await isCached(cacheDir, 'mods', 'k1')).toBe(true);
    expect(await isCached(cacheDir, 'mods', 'k2')).toBe(false);
    const dest = path.join(root, 'dest');
    await mkdir(dest);
    await writeFile(path.join(dest, 'stale.txt'), 'old');
    expect(await restoreCached(cacheDir, 'mods', dest)).toBe(true);
    expect(await readFile(path.join(dest, 'deep', 'f.txt'), 'utf8')).toBe('v1');
    // A real copy: editing the restored file leaves the cache alone.
    await writeFile(path.join(dest, 'deep', 'f.txt'), 'edited');
    expect(await readFile(path.join(cacheDir, 'mods', 'deep', 'f.txt'), 'utf8')).toBe('v1');
    await expect(readFile(path.join(dest, 'stale.txt'))).rejects.toThrow();
  });

  it('restores an empty cached folder as an empty folder, replacing what was there', async () => {
    const root = await temp.make();
    const src = path.join(root, 'src');
    await mkdir(src);
    const cacheDir = path.join(root, 'cache');
    await saveCached(cacheDir, 'mods', 'k1', src);
    const dest = path.join(root, 'dest');
    await mkdir(dest);
    await writeFile(path.join(dest, 'stale.txt'), 'old');
    expect(await restoreCached(cacheDir, 'mods', dest)).toBe(true);
    expect(await readdir(dest)).toEqual([]);
  });

  it('reports a cached folder that is gone as not restored', async () => {
    const root = await temp.make();
    expect(await restoreCached(path.join(root, 'cache'), 'mods', path.join(root, 'dest'))).toBe(false);
  });
});
