// Why: how each buildpack's build is repeated in a Dockerfile, one entry per buildpack name, so a new
// buildpack is one more entry. Each entry reads the app's manifest files (ExportData.files) only.
import semver from 'semver';
import { cliBuildArgs, leinTask } from '../buildpacks/clojure-project.js';
import { SBT_OUTPUTS, sbtTasks, SLUG_KEEPS_IN_TARGET, STAGE_BIN_PATTERNS } from '../buildpacks/scala-sbt.js';
import { javaMajor, requestedJavaVersion } from '../core/jdk.js';
import { PLAY_PROFILE_LINE, projectSbtText, SBT_LAUNCHER, usesPlay } from '../core/sbt.js';
import { shellQuote } from '../core/shell.js';
import type { ProcessTypes } from '../core/types.js';
import { CONTAINER_PORT, type ExportData } from './types.js';

export interface DockerRecipe {
  /** The base image (FROM). */
  base(data: ExportData): string;
  /** The Dockerfile lines that copy the app into /app and build it there, in the buildpack's order. */
  steps(data: ExportData): string[];
  /** .dockerignore lines of this buildpack (what its build makes, which the image builds itself). */
  ignore: string[];
  /** The process types as the image runs them, when they differ from the slug's. */
  processTypes?(data: ExportData): ProcessTypes;
  /** A command that exits 0 once the web port accepts connections, when the image has no bash for the default. */
  portCheck?: string[];
}

/** Node majors with a `node:<major>-slim` image, newest first, for an engines.node range the running node misses. */
const NODE_MAJORS = [24, 22, 20, 18];

/** The Node major to build with: the one minik builds with when engines.node allows it (or names none), else the newest it allows. */
export function nodeMajor(range: string | undefined, running: string): number {
  const own = semver.major(semver.coerce(running) ?? '20.0.0');
  if (!range || !semver.validRange(range)) return own;
  if (semver.intersects(range, `^${own}`)) return own;
  const major = NODE_MAJORS.find((m) => semver.intersects(range, `^${m}`));
  return major ?? semver.minVersion(range)?.major ?? own;
}

/** package.json's scripts and engines, or empty ones. */
function packageJson(data: ExportData): { scripts: Record<string, string>; engines: { node?: string } } {
  try {
    const pkg = JSON.parse(data.files['package.json'] ?? '{}') as { scripts?: Record<string, string>; engines?: { node?: string } };
    return { scripts: pkg.scripts ?? {}, engines: pkg.engines ?? {} };
  } catch {
    return { scripts: {}, engines: {} };
  }
}

/** The first version-looking word of a file (`python-3.12.4` → 3.12.4), or null. */
function versionIn(text: string | undefined, pattern: RegExp): string | null {
  return text === undefined ? null : pattern.exec(text)?.[1] ?? null;
}

const has = (data: ExportData, file: string) => Object.hasOwn(data.files, file);

const node: DockerRecipe = {
  base: (d) => `node:${nodeMajor(packageJson(d).engines.node, d.nodeVersion)}-slim`,
  steps(d) {
    const { scripts } = packageJson(d);
    const run = (s: string) => `RUN npm run ${s}`;
    const lock = has(d, 'package-lock.json') || has(d, 'npm-shrinkwrap.json');
    const build = scripts['heroku-build'] !== undefined ? 'heroku-build' : scripts.build !== undefined ? 'build' : null;
    return [
      'ENV NODE_ENV=production PATH=/app/node_modules/.bin:$PATH',
      'COPY . .',
      ...(scripts['heroku-prebuild'] !== undefined ? [run('heroku-prebuild')] : []),
      // As Heroku does: devDependencies are installed for the build (NODE_ENV=production would leave them out).
      lock ? 'RUN npm ci --include=dev' : 'RUN npm install --include=dev',
      ...(build ? [run(build)] : []),
      ...(scripts['heroku-postbuild'] !== undefined ? [run('heroku-postbuild')] : []),
      'RUN npm prune --omit=dev && npm cache clean --force',
    ];
  },
  ignore: ['node_modules'],
};

const python: DockerRecipe = {
  base: (d) => `python:${versionIn(d.files['.python-version'], /^\s*(\d+\.\d+(?:\.\d+)?)/) ?? versionIn(d.files['runtime.txt'], /python-(\d+\.\d+(?:\.\d+)?)/) ?? '3.13'}-slim`,
  steps(d) {
    const install = has(d, 'requirements.txt') ? ['RUN pip install --no-cache-dir -r requirements.txt']
      : has(d, 'Pipfile.lock') ? ['RUN pip install --no-cache-dir pipenv && pipenv install --deploy --system']
      : has(d, 'pyproject.toml') ? ['RUN pip install --no-cache-dir .'] : [];
    return [
      'ENV VIRTUAL_ENV=/app/.venv PATH=/app/.venv/bin:$PATH PYTHONUNBUFFERED=1',
      'RUN python -m venv /app/.venv',
      'COPY . .',
      ...install,
    ];
  },
  ignore: ['.venv', '__pycache__', '*.pyc'],
};

/** minik serves a static site with its own server; the image uses busybox's httpd, which serves index.html the same way. */
const staticSite: DockerRecipe = {
  base: () => 'busybox:1.37',
  steps: () => ['COPY . .'],
  ignore: [],
  processTypes: (d) => ({ ...d.processTypes, web: 'httpd -f -v -p "$PORT" -h /app' }),
  portCheck: ['wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${CONTAINER_PORT}/`],
};

/** A Procfile alone: Heroku's own base image (Ubuntu 24.04 with the usual tools), and no build. */
const procfile: DockerRecipe = { base: () => 'heroku/heroku:24', steps: () => ['COPY . .'], ignore: [] };

const go: DockerRecipe = {
  base: (d) => `golang:${versionIn(d.files['go.mod'], /^go\s+(\d+\.\d+)/m) ?? '1.24'}`,
  steps: (d) => [
    ...(has(d, 'go.mod') ? ['COPY go.mod go.sum* ./', 'RUN go mod download'] : []),
    'COPY . .',
    // The Go buildpack installs every main package into bin/, which the Procfile runs.
    'RUN mkdir -p bin && go build -o bin/ ./...',
  ],
  ignore: ['bin'],
};

const ruby: DockerRecipe = {
  base: (d) => `ruby:${versionIn(d.files['.ruby-version'], /(\d+\.\d+(?:\.\d+)?)/) ?? versionIn(d.files.Gemfile, /^\s*ruby\s+['"](\d+\.\d+(?:\.\d+)?)/m) ?? '3.4'}-slim`,
  steps: () => [
    'RUN apt-get update && apt-get install -y --no-install-recommends build-essential && rm -rf /var/lib/apt/lists/*',
    'ENV BUNDLE_WITHOUT=development:test BUNDLE_DEPLOYMENT=1',
    'COPY Gemfile Gemfile.lock ./',
    'RUN bundle install',
    'COPY . .',
  ],
  ignore: ['vendor/bundle'],
};

const php: DockerRecipe = {
  base: (d) => `php:${versionIn(d.files['composer.json'], /"php"\s*:\s*"[^"\d]*(\d+\.\d+)/) ?? '8.4'}-cli`,
  steps: () => [
    'RUN apt-get update && apt-get install -y --no-install-recommends git unzip && rm -rf /var/lib/apt/lists/*',
    'COPY --from=composer:2 /usr/bin/composer /usr/bin/composer',
    'COPY . .',
    'RUN composer install --no-dev --optimize-autoloader --no-interaction',
  ],
  ignore: ['vendor'],
};

/**
 * The JDK major a JVM buildpack built the release with (recorded in its runtime), else the one system.properties
 * names (java.runtime.version, read as the buildpack reads it), else 21.
 */
export function jdkMajor(d: ExportData): number {
  const built = d.runtime?.language === 'java' ? javaMajor(d.runtime.version) : null;
  const requested = requestedJavaVersion(d.files['system.properties'] ?? '');
  return built ?? (requested === null ? null : javaMajor(requested)) ?? 21;
}

const java: DockerRecipe = {
  base: (d) => (has(d, 'pom.xml') ? `maven:3-eclipse-temurin-${jdkMajor(d)}` : `eclipse-temurin:${jdkMajor(d)}-jdk`),
  steps: (d) => ['COPY . .', has(d, 'pom.xml') ? 'RUN mvn -B -DskipTests clean package' : 'RUN ./gradlew build -x test'],
  ignore: ['target', 'build', '.gradle'],
};

/** The official clojure image (Leiningen or the Clojure CLI on Temurin), and the buildpack's build command. */
const clojure: DockerRecipe = {
  base: (d) => `clojure:temurin-${jdkMajor(d)}-${has(d, 'project.clj') ? 'lein' : 'tools-deps'}`,
  steps(d) {
    if (has(d, 'project.clj')) return ['COPY . .', `RUN lein ${leinTask(d.config.LEIN_BUILD_TASK).join(' ')}`];
    let args = ['-P'];
    try {
      args = cliBuildArgs(d.files['deps.edn'] ?? '{}');
    } catch {
      // an unreadable deps.edn failed minik's build too; -P at least fetches what it can
    }
    return ['COPY . .', `RUN clojure ${args.join(' ')}`];
  },
  ignore: ['target', '.cpcache', '.lein-*', '.nrepl-port'],
};

/**
 * The buildpack's dropping of compile output from the slug, as shell over the same folders: when sbt staged an app
 * (a start script in a stage/bin folder) and KEEP_SBT_CACHE is not true, target/ keeps only the staged app (and sbt
 * 2's target/out), and sbt's other output folders go.
 */
function sbtDropCompileOutput(): string {
  const scripts = STAGE_BIN_PATTERNS.map((p) => `${p.join('/')}/*`).join(' ');
  const keep = SLUG_KEEPS_IN_TARGET.map((name) => `! -name ${name}`).join(' ');
  const others = SBT_OUTPUTS.filter((rel) => rel !== 'target').join(' ');
  // One brace group, so `sbt … && { … }` fails the RUN when sbt failed.
  return `{ for f in ${scripts}; do [ -f "$f" ] && [ -x "$f" ] && staged=1; done;`
    + ` if [ -n "\${staged:-}" ]; then { [ ! -d target ] || find target -mindepth 1 -maxdepth 1 ${keep} -exec rm -rf {} +; } && rm -rf ${others}; fi; }`;
}

/**
 * sbt's launcher (the jar minik pins, checked by its SHA-256) boots the app's sbt.version and runs the buildpack's
 * tasks (SBT_TASKS, SBT_CLEAN, SBT_PROJECT); its caches leave the layer, and compile output as the buildpack drops
 * it; a Play app (by project/*.sbt, as the buildpack tells) gets .profile.d/scala.sh (no RUNNING_PID, which a
 * restarted container would find).
 */
const scala: DockerRecipe = {
  base: (d) => `eclipse-temurin:${jdkMajor(d)}-jdk`,
  steps: (d) => [
    `ADD --checksum=sha256:${SBT_LAUNCHER.sha256} ${SBT_LAUNCHER.url} /usr/local/lib/sbt-launch.jar`,
    'COPY . .',
    `RUN java -Xss4m -Dsbt.log.noformat=true -Dsbt.supershell=false -jar /usr/local/lib/sbt-launch.jar ${sbtTasks(d.config).map(shellQuote).join(' ')}`
      + ' && rm -rf /root/.sbt /root/.ivy2 /root/.cache'
      + (d.config.KEEP_SBT_CACHE === 'true' ? '' : ` && ${sbtDropCompileOutput()}`),
    ...(usesPlay(projectSbtText(d.files)) ? [`RUN mkdir -p .profile.d && echo ${shellQuote(PLAY_PROFILE_LINE)} > .profile.d/scala.sh`] : []),
  ],
  ignore: [...SBT_OUTPUTS],
};

/** The Dockerfile recipe of each buildpack, by the name a release records. */
export const DOCKER_RECIPES: Record<string, DockerRecipe> = { node, python, static: staticSite, procfile, go, ruby, php, java, clojure, scala };

/** The recipe for the app's buildpack; an unknown one gets the Procfile recipe (no build step). */
export function recipeFor(data: ExportData): DockerRecipe {
  return DOCKER_RECIPES[data.buildpack] ?? procfile;
}

/** The process types a container image of the app runs (k8s, compose and the Dockerfile use these). */
export function containerProcessTypes(data: ExportData): ProcessTypes {
  return recipeFor(data).processTypes?.(data) ?? data.processTypes;
}
