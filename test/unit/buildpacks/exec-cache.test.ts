import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withNodeDir } from '../../../src/core/env.js';
import { MinikError } from '../../../src/core/errors.js';
import { cacheKey, isCached, makeSpares, restoreCached, saveCached } from '../../../src/buildpacks/cache.js';
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

  it('shares the cached files by hard links with `shared`, except the files it lists, which are copies', async () => {
    const root = await temp.make();
    const src = path.join(root, 'src');
    await mkdir(path.join(src, 'pkg'), { recursive: true });
    await writeFile(path.join(src, 'pkg', 'index.js'), 'one');
    await writeFile(path.join(src, '.lock'), 'lock');
    const cacheDir = path.join(root, 'cache');
    await saveCached(cacheDir, 'mods', 'k1', src);
    const dest = path.join(root, 'dest');
    expect(await restoreCached(cacheDir, 'mods', dest, { copied: ['.lock', 'missing.txt'] })).toBe(true);
    const ino = async (f: string) => (await stat(f)).ino;
    expect(await ino(path.join(dest, 'pkg', 'index.js'))).toBe(await ino(path.join(cacheDir, 'mods', 'pkg', 'index.js')));
    expect(await ino(path.join(dest, '.lock'))).not.toBe(await ino(path.join(cacheDir, 'mods', '.lock')));
    expect(await readFile(path.join(dest, '.lock'), 'utf8')).toBe('lock');
    // Folders are the slug's own: a new file there never reaches the cache.
    await writeFile(path.join(dest, 'pkg', 'new.js'), 'new');
    await expect(readFile(path.join(cacheDir, 'mods', 'pkg', 'new.js'))).rejects.toThrow();
  });

  it.skipIf(!existsSync('/dev/shm'))('falls back to a real copy where links cannot be made (the cache on another file system)', async () => {
    const root = await temp.make();
    const shm = await mkdtemp('/dev/shm/minik-cache-');
    try {
      const src = path.join(root, 'src');
      await mkdir(src);
      await writeFile(path.join(src, 'f.txt'), 'v1');
      await saveCached(shm, 'mods', 'k1', src);
      const dest = path.join(root, 'dest');
      expect(await restoreCached(shm, 'mods', dest, { copied: [] })).toBe(true);
      expect(await readFile(path.join(dest, 'f.txt'), 'utf8')).toBe('v1');
      expect((await stat(path.join(dest, 'f.txt'))).nlink).toBe(1);
    } finally {
      await rm(shm, { recursive: true, force: true });
    }
  });

  it('links the next shared restore ahead of time, and never hands out a spare made for another key', async () => {
    const root = await temp.make();
    const src = path.join(root, 'src');
    await mkdir(src);
    await writeFile(path.join(src, 'f.txt'), 'v1');
    const cacheDir = path.join(root, 'cache');
    await saveCached(cacheDir, 'mods', 'k1', src);
    const shared = { copied: [] };
    expect(await restoreCached(cacheDir, 'mods', path.join(root, 'a'), shared)).toBe(true);
    await makeSpares();
    const spare = path.join(cacheDir, 'mods.spare');
    const spareIno = (await stat(spare)).ino;
    // The next restore is the spare, moved: the same folder, and a new spare is made behind it.
    expect(await restoreCached(cacheDir, 'mods', path.join(root, 'b'), shared)).toBe(true);
    expect((await stat(path.join(root, 'b'))).ino).toBe(spareIno);
    expect(await readFile(path.join(root, 'b', 'f.txt'), 'utf8')).toBe('v1');
    await makeSpares();
    expect((await stat(spare)).ino).not.toBe(spareIno);
    // The cache changes under a new key: the spare of the old one is not used.
    await writeFile(path.join(src, 'f.txt'), 'v2');
    await saveCached(cacheDir, 'mods', 'k2', src);
    expect(await restoreCached(cacheDir, 'mods', path.join(root, 'c'), shared)).toBe(true);
    expect(await readFile(path.join(root, 'c', 'f.txt'), 'utf8')).toBe('v2');
    await makeSpares();
    expect(await restoreCached(cacheDir, 'mods', path.join(root, 'd'), shared)).toBe(true);
    expect(await readFile(path.join(root, 'd', 'f.txt'), 'utf8')).toBe('v2');
  });

  it('saves a folder as links to its files with `link`, and leaves no half-made copy when that fails', async () => {
    const root = await temp.make();
    const src = path.join(root, 'src');
    await mkdir(src);
    await writeFile(path.join(src, 'f.txt'), 'v1');
    const cacheDir = path.join(root, 'cache');
    await saveCached(cacheDir, 'prod', 'k9', src, true);
    expect(await isCached(cacheDir, 'prod', 'k9')).toBe(true);
    expect((await stat(path.join(cacheDir, 'prod', 'f.txt'))).ino).toBe((await stat(path.join(src, 'f.txt'))).ino);
    await expect(saveCached(cacheDir, 'prod', 'k9', path.join(root, 'gone'), true)).rejects.toThrow();
    expect(await isCached(cacheDir, 'prod', 'k9')).toBe(false);
    expect((await readdir(cacheDir)).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('reports a cached folder that is gone as not restored', async () => {
    const root = await temp.make();
    expect(await restoreCached(path.join(root, 'cache'), 'mods', path.join(root, 'dest'))).toBe(false);
  });
});
