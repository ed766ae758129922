// Why: reusing installed dependencies between builds of the same app is most of a fast deploy
// (Dokku #6178). A cached folder is valid only for the key it was saved with.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { readBytes, statOrNull } from '../core/files.js';

/** sha256 over labelled parts, so moving bytes from one part to another changes the key. */
export function cacheKey(parts: Record<string, string | Buffer | null>): string {
  const hash = createHash('sha256');
  for (const [label, value] of Object.entries(parts)) {
    const bytes = value === null ? Buffer.from('\0absent') : Buffer.from(value);
    hash.update(`${label}\0${bytes.length}\0`).update(bytes);
  }
  return hash.digest('hex');
}

/** True for a folder with nothing in it; a synchronous read of its entries (core/files.ts says why). */
function isEmptyFolder(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0;
  } catch {
    return false;
  }
}

const keyFile = (cacheDir: string, name: string) => path.join(cacheDir, `${name}.key`);

/** True when the cached `name` folder was saved with `key`. */
export async function isCached(cacheDir: string, name: string, key: string): Promise<boolean> {
  const saved = readBytes(keyFile(cacheDir, name));
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
 * and 0.05 s to link; and the next restore's links are made ahead (see takeSpare), so it is one rename.
 */
export async function restoreCached(cacheDir: string, name: string, dest: string, shared: Shared | null = null): Promise<boolean> {
  if (statOrNull(dest)) await rm(dest, { recursive: true, force: true });
  const src = path.join(cacheDir, name);
  // An app without dependencies caches an empty folder: making one beats starting `cp` on every redeploy.
  if (isEmptyFolder(src)) {
    mkdirSync(dest, { recursive: true });
    return true;
  }
  if (shared && ((await takeSpare(cacheDir, name, dest)) || (await linkTree(src, dest, shared)))) {
    wantSpare(cacheDir, name, shared);
    return true;
  }
  const r = await execa('cp', ['-a', '--', src, dest], { reject: false });
  if (r.failed) {
    await rm(dest, { recursive: true, force: true });
    return false;
  }
  return true;
}

/** `dest` as hard links to `src`, `shared.copied` as copies; false (nothing left behind) where linking fails (another file system). */
async function linkTree(src: string, dest: string, shared: Shared, nice = false): Promise<boolean> {
  try {
    await execa(nice ? 'nice' : 'cp', [...(nice ? ['-n', '19', 'cp'] : []), '-al', '--', src, dest]);
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

/**
 * A spare is the next restore's linked tree, made while nothing waits for it (see makeSpares): `<name>.spare`, valid while
 * `<name>.spare.key` (written last) matches the cache's key. Why: linking 2,443 files took ~50 ms of every
 * watch redeploy of an Express app, a third of the time nodemon takes to restart it; a rename takes none.
 */
const spareDir = (cacheDir: string, name: string) => path.join(cacheDir, `${name}.spare`);
const spareKey = (cacheDir: string, name: string) => path.join(cacheDir, `${name}.spare.key`);

/** Moves a valid spare to `dest`; false when there is none (a stale one is deleted). */
async function takeSpare(cacheDir: string, name: string, dest: string): Promise<boolean> {
  const want = readBytes(keyFile(cacheDir, name));
  const have = readBytes(spareKey(cacheDir, name));
  if (have === null) return false;
  await rm(spareKey(cacheDir, name), { force: true }); // taken or stale, it is not offered again
  if (want === null || !want.equals(have)) return false;
  return rename(spareDir(cacheDir, name), dest).then(() => true, () => false);
}

/** Spares wanted (a restore took or linked the last one) and being made, by cache folder and name: one each. */
const spares = new Map<string, Spare>();
interface Spare { start(): Promise<void>; work: Promise<void> | null }

/** Records that the next restore of this folder wants a spare; makeSpares() makes it. */
function wantSpare(cacheDir: string, name: string, shared: Shared): void {
  const id = path.join(cacheDir, name);
  if (spares.has(id)) return;
  spares.set(id, { work: null, start: () => makeSpare(cacheDir, name, shared).catch(() => {}).finally(() => spares.delete(id)) });
}

async function makeSpare(cacheDir: string, name: string, shared: Shared): Promise<void> {
  const key = readBytes(keyFile(cacheDir, name));
  if (key === null) return;
  const dir = spareDir(cacheDir, name);
  await rm(spareKey(cacheDir, name), { force: true }); // a half-made spare is never offered
  await rm(dir, { recursive: true, force: true });
  if (await linkTree(path.join(cacheDir, name), dir, shared, true)) await writeFile(spareKey(cacheDir, name), key);
}

/**
 * Makes the wanted spares at the lowest CPU priority (`nice 19`); resolves when they are made, never rejects. The
 * deploy calls it once its release is live or failed: linking while the new dyno booted slowed an Express app's
 * boot by ~14 ms on 2 cores, even niced, and a fixed delay missed half the spares of a quick edit loop.
 */
export async function makeSpares(): Promise<void> {
  for (const spare of spares.values()) spare.work ??= spare.start();
  await Promise.all([...spares.values()].map((e) => e.work));
}

/** Drops the spares not begun and waits for those being made (the daemon's shutdown; tests deleting their folders). */
export async function sparesSettled(): Promise<void> {
  for (const [id, spare] of spares) if (!spare.work) spares.delete(id);
  await Promise.all([...spares.values()].map((e) => e.work));
}

/**
 * Replaces the cached `name` folder with a copy of `src`, recorded under `key`; with `link`, hard links to its
 * files instead (a tree that is itself shared with the cache, see Shared).
 */
export async function saveCached(cacheDir: string, name: string, key: string, src: string, link = false): Promise<void> {
  const target = path.join(cacheDir, name);
  const tmp = `${target}.tmp-${process.pid}`;
  await mkdir(cacheDir, { recursive: true });
  // The key goes first and comes back last, so a crash in between leaves a miss, never a wrong hit.
  await rm(keyFile(cacheDir, name), { force: true });
  await rm(tmp, { recursive: true, force: true });
  try {
    await execa('cp', [link ? '-al' : '-a', '--', src, tmp]);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  await rm(target, { recursive: true, force: true });
  await rename(tmp, target);
  await writeFile(keyFile(cacheDir, name), `${key}\n`);
}
