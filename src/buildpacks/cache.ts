// Why: reusing installed dependencies between builds of the same app is most of a fast deploy
// (Dokku #6178). A cached folder is valid only for the key it was saved with.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
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
 * Replaces `dest` with a copy of the cached `name` folder; false when the copy failed.
 * `cp -a` makes a real copy (reflinked where the file system can): hardlinks would let a build
 * script that edits a file in place (patch-package does) corrupt the cache.
 */
export async function restoreCached(cacheDir: string, name: string, dest: string): Promise<boolean> {
  await rm(dest, { recursive: true, force: true });
  // An app without dependencies caches an empty folder: making one beats starting `cp` on every redeploy.
  if ((await readdir(path.join(cacheDir, name)).catch(() => null))?.length === 0) {
    await mkdir(dest, { recursive: true });
    return true;
  }
  const r = await execa('cp', ['-a', '--', path.join(cacheDir, name), dest], { reject: false });
  if (r.failed) {
    await rm(dest, { recursive: true, force: true });
    return false;
  }
  return true;
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
