// Why: a folder with an index.html deploys as a site with no build step, served by minik's own
// static server (see static-server.ts).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { INDENT, isFile } from './util.js';
import type { Buildpack } from './types.js';

/** Absolute path of the compiled static server, dist/buildpacks/static-server.js (also when running from src/). */
export function staticServerPath(): string {
  const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  return path.join(packageRoot, 'dist', 'buildpacks', 'static-server.js');
}

/**
 * The web command of a static site. It names no path: `node` is found on the dyno's PATH (the current
 * node's folder comes first) and MINIK_STATIC_SERVER is set by the dyno environment of the minik running
 * now, so a slug keeps working after Node is upgraded or minik is moved.
 */
export function staticWebCommand(): string {
  return 'node "$MINIK_STATIC_SERVER"';
}

// What minik 0.1 wrote into static releases: '<node>' '<minik>/dist/buildpacks/static-server.js'.
const BAKED_STATIC = /^'?\/[^']*\/node[^/' ]*'? '?\/[^']*\/dist\/buildpacks\/static-server\.js'?$/;

/** Why: a release built before slugs became self-contained still names old paths; it runs with today's. */
export function currentCommand(command: string): string {
  return BAKED_STATIC.test(command.trim()) ? staticWebCommand() : command;
}

/**
 * Detected by index.html when there is no Procfile: with a Procfile the app says how it runs, and the
 * procfile buildpack takes it. Node and Python apps are detected before this one.
 */
export const staticBuildpack: Buildpack = {
  name: 'static',
  detect: async (dir) => (await isFile(path.join(dir, 'index.html'))) && !(await isFile(path.join(dir, 'Procfile'))),
  async build(ctx) {
    ctx.log('-----> Static site detected');
    ctx.log(`${INDENT}No build step: minik's static server serves the files`);
    return { defaultProcessTypes: { web: staticWebCommand() } };
  },
};
