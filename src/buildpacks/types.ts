// Why: the shape every buildpack shares, so the deploy pipeline can detect and build without knowing
// which language an app is written in.
import type { ConfigVars, ProcessTypes, Runtime } from '../core/types.js';

/** What a build gets: where the source is, where its cache lives, its config and a log sink. */
export interface BuildContext {
  app: string;
  /** MINIK_HOME: each build step carries a marker naming it, so a restarted daemon can reap it. */
  home: string;
  /** The build's id (its folder's name), in each step's marker; 'build' when not given. */
  id?: string;
  /** The app's source, copied; the build turns it into the slug in place. */
  buildDir: string;
  /** Per app and per buildpack; persists between builds. */
  cacheDir: string;
  /** Config vars, visible to build scripts. */
  env: ConfigVars;
  /** Build output, one line at a time, no trailing newline. */
  log(line: string): void;
  signal?: AbortSignal;
  /** The commit being built, when the source is a git repository (Heroku's SOURCE_VERSION). */
  sourceVersion?: string;
}

/** What a build hands back: process types to use where the Procfile has none. */
export interface BuildResult {
  defaultProcessTypes: ProcessTypes;
  /** Defaults for the dynos' environment (bin/release `config_vars`); config vars and .env override them. */
  configVars?: ConfigVars;
  /** A classic buildpack's `export` file, sourced into the environment of the buildpacks after it. */
  exportFile?: string;
  /** The interpreter the build used, when the buildpack selects one (runtime/); dynos use the same. */
  runtime?: Runtime;
}

/** One language's detect and build steps, as in Heroku's classic buildpack API. */
export interface Buildpack {
  name: string;
  detect(dir: string): Promise<boolean>;
  build(ctx: BuildContext): Promise<BuildResult>;
}
