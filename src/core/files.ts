// Why: an app's small files (Procfile, app.json, .env, package.json, .nvmrc, lockfiles…) are read and probed
// synchronously. A read or stat takes microseconds; a thread-pool one waits a turn of the daemon's event loop,
// which is busy routing (0.1-0.2 ms each under load), and a build touches a dozen of them on every redeploy
// (`up --watch`). Folders and copies stay asynchronous, or run synchronously in slices (slicer).
import { readFileSync, statSync, type Stats } from 'node:fs';

/** The file's bytes, or null when it cannot be read (missing, a folder, unreadable). */
export function readBytes(file: string): Buffer | null {
  try {
    return readFileSync(file);
  } catch {
    return null;
  }
}

/** The file's text (UTF-8), or null when it cannot be read. */
export function readText(file: string): string | null {
  return readBytes(file)?.toString('utf8') ?? null;
}

/** stat(2) following symlinks, or null when the path does not exist. */
export function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** Synchronous operations between two yields to the event loop in sliced work (~0.2–0.5 ms of them). */
export const SLICE = 16;

/**
 * A step to await after each synchronous operation of a long run (a /proc scan, a receive): every SLICE steps it
 * yields a turn of the event loop, so the router keeps answering between slices.
 */
export function slicer(size = SLICE): () => Promise<void> {
  let ops = 0;
  return () => (++ops % size === 0 ? new Promise<void>((resolve) => setImmediate(resolve)) : Promise.resolve());
}
