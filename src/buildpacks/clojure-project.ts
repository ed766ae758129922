// Why: the pure decisions of the Clojure buildpack, kept apart from running Leiningen so each can be tested
// on text: what project.clj names (:main, :uberjar-name), which task runs, which jar and command the web
// process gets, whether the dynos need the dependency repository, and how a deps.edn app builds.
import { invalid } from '../core/errors.js';
import type { ProcessTypes } from '../core/types.js';
import { readForms, valueIn, valueOf, type Form } from './clojure-edn.js';
import { shellQuote } from './util.js';

/** What the build reads from project.clj's defproject form. */
export interface LeinProject {
  /** The namespace :main names (metadata such as ^:skip-aot dropped), or null. */
  main: string | null;
  /** :uberjar-name, at the top or in the :uberjar profile (where Heroku also looks), or null. */
  uberjarName: string | null;
}

/** Heroku's default LEIN_BUILD_TASK for minik: an uberjar, which dynos run without Leiningen. */
export const DEFAULT_LEIN_TASK = 'uberjar';

/** Reads project.clj text; a MinikError naming the line when it cannot be read or has no defproject. */
export function parseProjectClj(text: string, file = 'project.clj'): LeinProject {
  const defproject = readForms(text, file).find((f) => f.kind === 'list' && f.items[0]?.kind === 'symbol' && f.items[0].text === 'defproject');
  if (!defproject || defproject.kind !== 'list') {
    throw invalid(`${file} has no (defproject …) form`, `start it with (defproject my-app "1.0.0" …), as Leiningen expects, then run minik up again`);
  }
  const settings = defproject.items.slice(3); // defproject, name, version, then :key value pairs
  if (settings.length % 2 === 1) {
    const last = settings.at(-1)!;
    throw invalid(`${file} line ${last.line}: ${describe(last)} has no value`, 'every setting in defproject is a :key followed by its value');
  }
  const main = valueOf(settings, ':main');
  const uberjarName = valueOf(settings, ':uberjar-name') ?? valueIn(valueOf(settings, ':profiles'), [':uberjar', ':uberjar-name']);
  return {
    main: main?.kind === 'symbol' ? main.text : null,
    uberjarName: uberjarName?.kind === 'string' ? uberjarName.text : null,
  };
}

function describe(form: Form): string {
  return 'text' in form ? form.text : `a ${form.kind}`;
}

/** LEIN_BUILD_TASK as Leiningen's arguments (Heroku splits it on spaces): "with-profile production compile :all". */
export function leinTask(setting: string | undefined): string[] {
  const words = (setting ?? '').trim().split(/\s+/).filter(Boolean);
  return words.length > 0 ? words : [DEFAULT_LEIN_TASK];
}

/**
 * The standalone jar among the jars a build left (paths under target/, one level of profile folders too):
 * the one :uberjar-name names, else the single `*-standalone.jar`; null when there is none or several.
 */
export function standaloneJar(jars: readonly string[], uberjarName: string | null): string | null {
  if (uberjarName) {
    const named = jars.filter((j) => j === `target/${uberjarName}` || j.endsWith(`/${uberjarName}`));
    if (named.length === 1) return named[0]!;
  }
  const standalone = jars.filter((j) => j.endsWith('-standalone.jar'));
  return standalone.length === 1 ? standalone[0]! : null;
}

/**
 * The default web command: the uberjar on the classpath and `clojure.main -m` the :main namespace, as Heroku's
 * Clojure samples run it; works whether or not the namespace was AOT-compiled (^:skip-aot).
 */
export function leinWebCommand(jar: string, main: string): string {
  return `java $JVM_OPTS -cp ${shellQuote(jar)} clojure.main -m ${shellQuote(main)}`;
}

/** Heroku's web command for a Leiningen build that made no uberjar: Leiningen runs :main in the dyno. */
export const LEIN_RUN_WEB = 'lein with-profile production trampoline run';

/** The default web command for what the build left (a standalone jar, :main), or null with the reason to log. */
export function leinDefaultWeb(jar: string | null, main: string | null): { web: string | null; note: string | null } {
  if (jar && main) return { web: leinWebCommand(jar, main), note: null };
  if (main) return { web: LEIN_RUN_WEB, note: `No standalone jar in target/: web runs \`${LEIN_RUN_WEB}\`, as on Heroku` };
  if (jar) return { web: null, note: `project.clj names no :main namespace: name the web process in a Procfile, e.g. web: java $JVM_OPTS -cp ${jar} clojure.main -m my.app` };
  return { web: null, note: 'No standalone jar in target/ and no :main in project.clj: name the web process in a Procfile' };
}

/** The CLI arguments that build a deps.edn app: `-T:build uber` with a :build alias, else `-P` (download only). */
export function cliBuildArgs(depsEdn: string): string[] {
  const deps = readForms(depsEdn, 'deps.edn')[0];
  if (deps?.kind !== 'map') throw invalid('deps.edn does not hold a map', 'deps.edn is one map, e.g. {:deps {org.clojure/clojure {:mvn/version "1.12.0"}}}');
  return valueIn(deps, [':aliases', ':build']) ? ['-T:build', 'uber'] : ['-P'];
}

const RUNS_LEIN = /(^|[\s;&|(])(\S*\/)?lein(?=\s|$)/;

/**
 * Whether the dynos need the dependency repository in the slug: LEIN_INCLUDE_IN_SLUG=yes/no says so, else a
 * process type that runs `lein` (`web: lein run`) does, as Heroku keeps ~/.m2 in the slug for it.
 */
export function repositoryInSlug(setting: string | undefined, types: ProcessTypes): boolean {
  const value = (setting ?? '').trim().toLowerCase();
  if (value === 'yes' || value === 'true' || value === '1') return true;
  if (value === 'no' || value === 'false' || value === '0') return false;
  return Object.values(types).some((command) => RUNS_LEIN.test(command));
}
