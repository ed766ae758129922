// Why: the one place that says which buildpacks exist and in which order they are tried.
import { invalid } from '../core/errors.js';
import { nodeBuildpack } from './node.js';
import { procfileBuildpack } from './procfile.js';
import { pythonBuildpack } from './python.js';
import { staticBuildpack } from './static.js';
import type { Buildpack } from './types.js';

/** Detection order: the first buildpack whose detect() is true builds the app. */
export const buildpacks: readonly Buildpack[] = Object.freeze([nodeBuildpack, pythonBuildpack, staticBuildpack, procfileBuildpack]);

const MARKERS_HINT = 'add a Procfile, package.json (Node), requirements.txt/pyproject.toml (Python) or index.html (static)';

/** The first buildpack that detects the app in `dir`; a MinikError listing what minik looks for otherwise. */
export async function detectBuildpack(dir: string): Promise<Buildpack> {
  for (const pack of buildpacks) if (await pack.detect(dir)) return pack;
  throw invalid(`no buildpack detected for ${dir}`, MARKERS_HINT);
}

/** The buildpack called `name` (as recorded in a release); a MinikError when there is none. */
export function getBuildpack(name: string): Buildpack {
  const pack = buildpacks.find((p) => p.name === name);
  if (!pack) throw invalid(`unknown buildpack '${name}'`, `use one of: ${buildpacks.map((p) => p.name).join(', ')}`);
  return pack;
}
