// Why: the "receive" stage: dynos run from an immutable copy, never from the user's folder.
import { cp, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { ignoreMatcher } from '../core/ignore.js';
import { invalid } from '../core/errors.js';

const ALWAYS_SKIPPED = new Set(['.git', 'node_modules', '.minik']);

/** Copies an app's source into buildDir, skipping .git, node_modules and what .slugignore lists. */
export async function receiveSource(sourceDir: string, buildDir: string, extraSkip: string[] = []): Promise<void> {
  const info = await stat(sourceDir).catch(() => null);
  if (!info?.isDirectory()) {
    throw invalid(`source folder '${sourceDir}' does not exist or is not a folder`, 'run minik up in your app folder, or pass its path: minik up PATH');
  }
  const slugignore = await readFile(join(sourceDir, '.slugignore'), 'utf8').catch(() => '');
  const ignored = ignoreMatcher(slugignore.split(/\r?\n/));
  // Only folders nested inside the source are skipped (e.g. a MINIK_HOME inside the app), never its parents.
  const skipAbs = extraSkip.map((p) => p + sep).filter((p) => p.startsWith(sourceDir + sep));
  await cp(sourceDir, buildDir, {
    recursive: true,
    verbatimSymlinks: true,
    errorOnExist: false,
    filter: (src) => {
      if (skipAbs.some((p) => (src + sep).startsWith(p))) return false;
      const rel = relative(sourceDir, src).split(sep).join('/');
      if (rel === '') return true;
      const base = rel.slice(rel.lastIndexOf('/') + 1);
      return !ALWAYS_SKIPPED.has(base) && !ignored(rel);
    },
  });
}
