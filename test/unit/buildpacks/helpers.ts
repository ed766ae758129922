// Temp folders and build contexts for buildpack tests; builds never run inside fixtures/.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sparesSettled, type BuildContext } from '../../../src/buildpacks/index.js';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures');

/** Makes temp folders and removes them all in cleanup(). */
export function tempDirs() {
  const made: string[] = [];
  return {
    async make(prefix = 'minik-bp-'): Promise<string> {
      const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
    async cleanup(): Promise<void> {
      await sparesSettled(); // a restore may still be linking the next build's tree into these folders
      await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
    },
  };
}

/** Copies fixtures/<name> to a fresh `<parent>/<sub>` and returns its path. */
export async function copyFixture(name: string, parent: string, sub = 'build'): Promise<string> {
  const dest = path.join(parent, sub);
  await cp(path.join(FIXTURES, name), dest, { recursive: true });
  return dest;
}

/** A build context whose log lines are collected in `lines`. */
export function buildContext(buildDir: string, cacheDir: string, env: Record<string, string> = {}): BuildContext & { lines: string[] } {
  const lines: string[] = [];
  return { app: 'test-app', home: path.join(cacheDir, 'home'), buildDir, cacheDir, env, lines, log: (line: string) => void lines.push(line) };
}
