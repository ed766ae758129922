// Why: the one place that says which buildpacks exist and in which order they are tried.
import { invalid } from '../core/errors.js';
import { clojureBuildpack } from './clojure.js';
import { goBuildpack } from './go.js';
import { javaBuildpack } from './java.js';
import { nodeBuildpack } from './node.js';
import { phpBuildpack } from './php.js';
import { procfileBuildpack } from './procfile.js';
import { pythonBuildpack } from './python.js';
import { rubyBuildpack } from './ruby.js';
import { scalaBuildpack } from './scala.js';
import { staticBuildpack } from './static.js';
import type { Buildpack } from './types.js';

/** Detection order: the first buildpack whose detect() is true builds the app. */
export const buildpacks: readonly Buildpack[] = Object.freeze([
  nodeBuildpack, pythonBuildpack, clojureBuildpack, javaBuildpack, scalaBuildpack, rubyBuildpack, goBuildpack, phpBuildpack, staticBuildpack, procfileBuildpack,
]);

/** Heroku's short names for its official buildpacks, which a buildpack list may use for minik's built-ins. */
const HEROKU_NAMES: Record<string, string> = {
  'heroku/nodejs': 'node', 'heroku/python': 'python', 'heroku/java': 'java', 'heroku/clojure': 'clojure', 'heroku/gradle': 'java', 'heroku/scala': 'scala',
  'heroku/ruby': 'ruby', 'heroku/go': 'go', 'heroku/php': 'php', 'heroku/static': 'static',
};

const MARKERS_HINT = 'add a Procfile, package.json (Node), requirements.txt/pyproject.toml (Python), project.clj/deps.edn (Clojure), pom.xml (Java), build.sbt (Scala), Gemfile (Ruby), go.mod (Go), composer.json/index.php (PHP) or index.html (static)';

/** The first buildpack that detects the app in `dir`; a MinikError listing what minik looks for otherwise. */
export async function detectBuildpack(dir: string): Promise<Buildpack> {
  for (const pack of buildpacks) if (await pack.detect(dir)) return pack;
  throw invalid(`no buildpack detected for ${dir}`, MARKERS_HINT);
}

/** The built-in a buildpack list entry names ("node", "heroku/nodejs"), or null when it is a URL. */
export function builtinBuildpack(entry: string): Buildpack | null {
  const name = HEROKU_NAMES[entry.trim().toLowerCase()] ?? entry.trim();
  return buildpacks.find((p) => p.name === name) ?? null;
}

/** The buildpack called `name` (as recorded in a release); a MinikError when there is none. */
export function getBuildpack(name: string): Buildpack {
  const pack = buildpacks.find((p) => p.name === name);
  if (!pack) throw invalid(`unknown buildpack '${name}'`, `use one of: ${buildpacks.map((p) => p.name).join(', ')}`);
  return pack;
}
