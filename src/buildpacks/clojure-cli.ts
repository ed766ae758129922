// Why: a deps.edn app (no project.clj) builds with the Clojure CLI: `clojure -T:build uber` when deps.edn has
// a :build alias (tools.build's convention), else `clojure -P` to fetch its dependencies. Debian's `clojure`
// package is only clojure.main, which cannot read deps.edn, so the CLI is recognised by what it does
// (`clojure -Sdescribe` prints its :version), and a missing one fails the build saying what to install.
import { mkdirSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { MinikError } from '../core/errors.js';
import type { ProcessTypes } from '../core/types.js';
import { cliBuildArgs } from './clojure-project.js';
import { probeStep } from './exec.js';
import { runnableJar } from './java.js';
import { findOnPath } from './toolchain.js';
import type { BuildContext } from './types.js';
import { runReportingRepositories } from './unreachable.js';
import { INDENT, shellQuote } from './util.js';

const INSTALL_HINT = 'install the Clojure CLI (https://clojure.org/guides/install_clojure), or add a project.clj to build with Leiningen (Debian: apt-get install leiningen), then run minik up again';

/** The CLI's version from `clojure -Sdescribe` output ({:version "1.12.0.1479" …}), or null when it is not the CLI's. */
export function cliVersion(describe: string): string | null {
  return /:version\s+"([^"]+)"/.exec(describe)?.[1] ?? null;
}

/** Builds with the Clojure CLI, its Maven repository, git libraries and user config in the build cache. */
export async function buildWithCli(ctx: BuildContext, jdkEnv: Record<string, string>): Promise<ProcessTypes> {
  const cache = (name: string) => {
    const dir = path.join(ctx.cacheDir, name);
    mkdirSync(dir, { recursive: true });
    return dir;
  };
  // The CLI writes ~/.clojure (its user config) on first use and reads ~/.m2 and ~/.gitlibs: all kept in the cache.
  const env: Record<string, string> = { ...jdkEnv, CLJ_CONFIG: cache('clj-config'), CLJ_CACHE: cache('clj-cache'), GITLIBS: cache('gitlibs') };
  const clojure = await findOnPath('clojure', env.PATH ?? '');
  if (!clojure) {
    throw new MinikError('Clojure CLI app detected (deps.edn), but no `clojure` on PATH: install the Clojure CLI (Debian\'s clojure package is only clojure.main, which cannot read deps.edn)', { code: 'build_failed', hint: INSTALL_HINT });
  }
  const probe = await probeStep(ctx, clojure, ['-Sdescribe'], { cwd: ctx.buildDir, env: { ...env, JAVA_TOOL_OPTIONS: '-Dclojure.main.report=stderr' } });
  const version = probe.failed ? null : cliVersion(probe.stdout);
  if (!version) {
    throw new MinikError(`Clojure CLI app detected (deps.edn), but ${clojure} is not the Clojure CLI ('clojure -Sdescribe' failed), so it cannot read deps.edn (Debian's clojure package is only clojure.main)`, { code: 'build_failed', hint: INSTALL_HINT });
  }
  ctx.log(`${INDENT}Using the Clojure CLI ${version}`);
  const args = cliBuildArgs(await readFile(path.join(ctx.buildDir, 'deps.edn'), 'utf8'));
  const repo = JSON.stringify(path.join(ctx.cacheDir, 'm2', 'repository')); // an EDN string, quoted as JSON quotes it
  ctx.log(`-----> Executing: clojure ${args.join(' ')}`);
  await runReportingRepositories(ctx, 'The Clojure CLI', clojure, ['-Sdeps', `{:mvn/local-repo ${repo}}`, ...args], { cwd: ctx.buildDir, env, label: `clojure ${args.join(' ')}` },
    'point :mvn/repos in deps.edn at a repository this machine reaches');
  const jar = runnableJar(await readdir(path.join(ctx.buildDir, 'target')).catch(() => []));
  if (!jar) {
    ctx.log(`${INDENT}No single runnable jar in target/${args[0] === '-P' ? ' (deps.edn has no :build alias)' : ''}: name the web process in a Procfile`);
    return {};
  }
  return { web: `java $JVM_OPTS -jar ${shellQuote(`target/${jar}`)}` };
}
