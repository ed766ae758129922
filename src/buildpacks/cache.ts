// Why: reusing installed dependencies between builds of the same app is most of a fast deploy
// (Dokku #6178). A cached folder is valid only for the key it was saved with.
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';

/** sha256 over labelled parts, so moving bytes from one part to another changes the key. */
export function cacheKey(parts: Record<string, string | Buffer | null>): string {
  const hash = createHash('sha256');
  for (const [label, value] of Object.entries(parts)) {
    const bytes = value === null ? Buffer.from('\0absent') : Buffer.from(value);
    hash.update(`${label}\0${bytes.length}\0`).update(bytes);
  }
  return hash.digest('hex');
}

/** The file's bytes, or null when it does not exist. */
export async function readOptional(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch {
    return null;
  }
}

const keyFile = (cacheDir: string, name: string) => path.join(cacheDir, `${name}.key`);

/** True when the cached `name` folder was saved with `key`. */
export async function isCached(cacheDir: string, name: string, key: string): Promise<boolean> {
  const saved = await readOptional(keyFile(cacheDir, name));
  return saved !== null && saved.toString('utf8').trim() === key;
}

/**
 * Files shared with the cache: fresh folders holding hard links to the cached files (`cp -al`), as pnpm links its
 * store into every node_modules. Files the build or the app create, delete or rename stay the slug's own; a file
 * rewritten in place would change the cache and every slug sharing it, so `copied` (paths relative to the folder)
 * are restored as real copies: the files later steps are known to rewrite.
 */
export interface Shared { copied: readonly string[] }

/**
 * Replaces `dest` with the cached `name` folder; false when that failed. By default a real copy (`cp -a`,
 * reflinked where the file system can), for builds whose later steps may edit files in place (a build script
 * running patch-package, pip reinstalling the app): hard links would let them corrupt the cache. With `shared`,
 * hard links: on this machine's ext4, which has no copy-on-write, an Express app's 2,443 files took 0.8 s to copy
 * and 0.07 s to link, the difference between a watch redeploy far slower than nodemon and one as fast.
 */
export async function restoreCached(cacheDir: string, name: string, dest: string, shared: Shared | null = null): Promise<boolean> {
  await rm(dest, { recursive: true, force: true });
  const src = path.join(cacheDir, name);
  // An app without dependencies caches an empty folder: making one beats starting `cp` on every redeploy.
  if ((await readdir(src).catch(() => null))?.length === 0) {
    await mkdir(dest, { recursive: true });
    return true;
  }
  if (shared && (await linkTree(src, dest, shared))) return true;
  const r = await execa('cp', ['-a', '--', src, dest], { reject: false });
  if (r.failed) {
    await rm(dest, { recursive: true, force: true });
    return false;
  }
  return true;
}

/** `dest` as hard links to `src`, `shared.copied` as copies; false (nothing left behind) where linking fails (another file system). */
async function linkTree(src: string, dest: string, shared: Shared): Promise<boolean> {
  try {
    await execa('cp', ['-al', '--', src, dest]);
    for (const rel of shared.copied) {
      const file = path.join(dest, rel);
      if (await rm(file).then(() => true, () => false)) await copyFile(path.join(src, rel), file);
    }
    return true;
  } catch {
    await rm(dest, { recursive: true, force: true });
    return false;
  }
}

/** Records `src` as the cached `name` under `key` by hard links to its files (see Shared); false when that failed. */
export async function saveLinked(cacheDir: string, name: string, key: string, src: string): Promise<boolean> {
  const target = path.join(cacheDir, name);
  const tmp = `${target}.tmp-${process.pid}`;
  try {
    await rm(keyFile(cacheDir, name), { force: true });
    await rm(tmp, { recursive: true, force: true });
    await execa('cp', ['-al', '--', src, tmp]);
    await rm(target, { recursive: true, force: true });
    await rename(tmp, target);
    await writeFile(keyFile(cacheDir, name), `${key}\n`);
    return true;
  } catch {
    await rm(tmp, { recursive: true, force: true });
    return false;
  }
}

/** Replaces the cached `name` folder with a copy of `src`, recorded under `key`. */
export async function saveCached(cacheDir: string, name: string, key: string, src: string): Promise<void> {
  const target = path.join(cacheDir, name);
  const tmp = `${target}.tmp-${process.pid}`;
  await mkdir(cacheDir, { recursive: true });
  // The key goes first and comes back last, so a crash in between leaves a miss, never a wrong hit.
  await rm(keyFile(cacheDir, name), { force: true });
  await rm(tmp, { recursive: true, force: true });
  await execa('cp', ['-a', '--', src, tmp]);
  await rm(target, { recursive: true, force: true });
  await rename(tmp, target);
  await writeFile(keyFile(cacheDir, name), `${key}\n`);
}
