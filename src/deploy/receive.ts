// Why: the "receive" stage: dynos run from an immutable copy, never from the user's folder. The copy walks the
// tree synchronously in slices (core/files.ts slicer: 16 operations, then a turn of the event loop): a small file's copy takes tens
// of microseconds, while a thread-pool one waits a turn of the daemon's busy loop (most of a watch redeploy's
// receive, measured); files over BIG_FILE bytes are copied on the thread pool so no slice stalls the router.
// File data is cloned where the filesystem can (copy-on-write), else copied.
// Hard links are not used: a build step that edits a file in place would edit the user's own file.
import { constants, copyFileSync, lstatSync, mkdirSync, readdirSync, readlinkSync, statSync, symlinkSync, type Dirent } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { MinikError, invalid } from '../core/errors.js';
import { readText, slicer } from '../core/files.js';
import { ignoreMatcher, ignoreRules } from '../core/ignore.js';

/** Never part of a slug, at any depth. */
const ALWAYS_SKIPPED = new Set(['.git', 'node_modules', '.minik']);

/** Files larger than this are copied on the thread pool, a few at a time. */
const BIG_FILE = 1 << 20;
const BIG_IN_FLIGHT = 4;

/** What was copied, and the special files (sockets, FIFOs, devices) that were left out. */
export interface ReceiveSummary { files: number; skipped: string[] }

/**
 * Copies an app's source into buildDir: regular files, folders and symlinks (verbatim), without .git,
 * node_modules, what `.slugignore` lists (git's rules, negations included), and folders in `extraSkip` nested
 * in the source. Sockets, FIFOs and devices are skipped: a running app's `tmp/sockets/puma.sock` is no source.
 * `.gitignore` is deliberately not applied, as on Heroku, where it only matters through git: minik deploys
 * the folder as it is, and an ignored `.env` or locally built asset may be what the app needs.
 */
export async function receiveSource(sourceDir: string, buildDir: string, extraSkip: string[] = []): Promise<ReceiveSummary> {
  let info;
  try {
    info = statSync(sourceDir);
  } catch {
    info = null;
  }
  if (!info?.isDirectory()) {
    throw invalid(`source folder '${sourceDir}' does not exist or is not a folder`, 'run minik up in your app folder, or pass its path: minik up PATH');
  }
  const ignored = ignoreMatcher(ignoreRules(readText(join(sourceDir, '.slugignore')) ?? ''));
  // Only folders nested inside the source are skipped (e.g. a MINIK_HOME inside the app), never its parents.
  const skipAbs = new Set(extraSkip.filter((p) => p.startsWith(sourceDir + sep)));
  const summary: ReceiveSummary = { files: 0, skipped: [] };
  const big: string[] = [];
  const folders = [''];
  const step = slicer();
  /** Runs one operation on `rel`; a file deleted meanwhile (an editor's swap file) is simply not part of this deploy. */
  const attempt = (rel: string, op: () => void) => {
    try {
      op();
    } catch (err) {
      if (rel === '' || (err as NodeJS.ErrnoException).code !== 'ENOENT') throw receiveError(sourceDir, rel, err);
    }
  };
  while (folders.length > 0) {
    const dir = folders.pop()!;
    let entries: Dirent[] = [];
    attempt(dir, () => {
      mkdirSync(join(buildDir, dir), { recursive: dir === '' });
      entries = readdirSync(join(sourceDir, dir), { withFileTypes: true });
    });
    for (const e of entries) {
      const rel = dir === '' ? e.name : `${dir}/${e.name}`;
      if (ALWAYS_SKIPPED.has(e.name) || skipAbs.has(join(sourceDir, rel))) continue;
      const isDir = e.isDirectory();
      if (ignored(rel, isDir)) continue;
      if (isDir) folders.push(rel);
      else if (e.isSymbolicLink()) attempt(rel, () => symlinkSync(readlinkSync(join(sourceDir, rel)), join(buildDir, rel)));
      else if (!e.isFile()) summary.skipped.push(rel);
      else attempt(rel, () => {
        if (lstatSync(join(sourceDir, rel)).size > BIG_FILE) return void big.push(rel);
        copyFileSync(join(sourceDir, rel), join(buildDir, rel), constants.COPYFILE_FICLONE); // keeps the mode
        summary.files++;
      });
      await step();
    }
  }
  await copyBig(sourceDir, buildDir, big, summary);
  summary.skipped.sort();
  return summary;
}

/** The large files, BIG_IN_FLIGHT at a time on the thread pool; on the first failure the rest do not start. */
async function copyBig(sourceDir: string, buildDir: string, files: string[], summary: ReceiveSummary): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const rel = files[next++]!;
      try {
        await copyFile(join(sourceDir, rel), join(buildDir, rel), constants.COPYFILE_FICLONE);
        summary.files++;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        next = files.length;
        throw receiveError(sourceDir, rel, err);
      }
    }
  };
  const results = await Promise.allSettled(Array.from({ length: Math.min(BIG_IN_FLIGHT, files.length) }, worker));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** A copy error names the file in the user's folder, never the build folder, and says what to do. */
function receiveError(sourceDir: string, rel: string, err: unknown): MinikError {
  const e = err as NodeJS.ErrnoException;
  const what = rel === '' ? sourceDir : join(sourceDir, rel);
  const why = e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied' : (e.code ?? e.message);
  const hint = e.code === 'ENOSPC' ? 'free some disk space and deploy again'
    : `make it readable, or list '${relative(sourceDir, what) || '.'}' in .slugignore, then deploy again`;
  return invalid(`cannot copy ${what} for the build: ${why}`, hint);
}
