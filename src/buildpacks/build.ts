// Why: one build of an app: its buildpacks chosen (explicit list or detection), fetched, detected and run
// in order with Heroku's multi-buildpack rules, under a time limit that cancels every step when it runs out.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { MinikError } from '../core/errors.js';
import type { ConfigVars, ProcessTypes, Runtime } from '../core/types.js';
import { classicBuildpack } from './classic/buildpack.js';
import { exportedVariables } from './classic/environment.js';
import { fetchBuildpack } from './classic/fetch.js';
import { buildEnv } from './exec.js';
import { builtinBuildpack, detectBuildpack } from './registry.js';
import type { ListSource } from './select.js';
import type { BuildContext, Buildpack } from './types.js';

/** What a build needs besides the source: where caches and fetched buildpacks live, the list and limits. */
export interface BuildpacksInput extends Omit<BuildContext, 'cacheDir'> {
  /** Per app; each buildpack gets a folder in it. */
  cacheRoot: string;
  /** $MINIK_HOME/buildpacks: fetched buildpacks, shared by all apps. */
  buildpacksHome: string;
  /** An explicit list (app, app.json or .buildpacks), or null to detect over the built-ins. */
  list: { urls: string[]; from: ListSource } | null;
  /** MINIK_BUILD_TIMEOUT in ms; DEFAULT_BUILD_TIMEOUT_MS when not given. */
  timeoutMs?: number;
}

/** Heroku's limit on a build: 15 minutes. */
export const DEFAULT_BUILD_TIMEOUT_MS = 15 * 60 * 1000;

/** What a build produced, for the release. */
export interface BuildpacksResult {
  defaultProcessTypes: ProcessTypes;
  configVars: ConfigVars;
  /** The buildpacks that ran, in order: built-in names or URLs. */
  buildpacks: string[];
  /** The interpreter the (last) language buildpack selected, recorded in the release. */
  runtime?: Runtime;
}

/** Builds the slug in input.buildDir; a MinikError naming MINIK_BUILD_TIMEOUT when the time runs out. */
export async function runBuildpacks(input: BuildpacksInput): Promise<BuildpacksResult> {
  const timeoutMs = input.timeoutMs ?? DEFAULT_BUILD_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = input.signal ? AbortSignal.any([input.signal, timeout]) : timeout;
  // Fetched buildpacks' working copies; a detected built-in needs none, and a redeploy then skips making it.
  const { list } = input;
  const scratch = `${input.buildDir}.buildpacks`;
  try {
    if (list === null) return await runDetected({ ...input, signal });
    await mkdir(scratch, { recursive: true });
    return await runList({ ...input, signal, list }, scratch);
  } catch (err) {
    if (timeout.aborted && !input.signal?.aborted) {
      throw new MinikError(`build timed out after ${formatDuration(timeoutMs)} (MINIK_BUILD_TIMEOUT=${timeoutMs / 1000})`, {
        code: 'build_failed',
        hint: 'the running release keeps serving; make the build faster or raise MINIK_BUILD_TIMEOUT (seconds) in the daemon\'s environment',
      });
    }
    throw err;
  } finally {
    if (list !== null) await rm(scratch, { recursive: true, force: true });
  }
}

/** The BuildContext fields of the input, whatever they are. */
function baseContext(input: BuildpacksInput): Omit<BuildContext, 'cacheDir'> {
  const { cacheRoot: _c, buildpacksHome: _b, list: _l, timeoutMs: _t, ...base } = input;
  return base;
}

/** No list: the first built-in that detects the app builds it. */
async function runDetected(input: BuildpacksInput): Promise<BuildpacksResult> {
  const pack = await detectBuildpack(input.buildDir);
  const result = await pack.build({ ...baseContext(input), cacheDir: await cacheFor(input, pack.name) });
  return { defaultProcessTypes: result.defaultProcessTypes, configVars: result.configVars ?? {}, buildpacks: [pack.name], ...(result.runtime ? { runtime: result.runtime } : {}) };
}

/** An explicit list, in order, with Heroku's multi-buildpack rules; fetched ones work in `scratch`. */
async function runList(input: BuildpacksInput & { list: NonNullable<BuildpacksInput['list']> }, scratch: string): Promise<BuildpacksResult> {
  const base = baseContext(input);
  input.log(`-----> Using buildpack${input.list.urls.length > 1 ? 's' : ''} from ${LIST_NAMES[input.list.from]}: ${input.list.urls.join(', ')}`);
  const exports: string[] = [];
  let exported: Record<string, string> = {};
  const built: BuildpacksResult = { defaultProcessTypes: {}, configVars: {}, buildpacks: [] };
  for (const [i, url] of input.list.urls.entries()) {
    const ctx: BuildContext = { ...base, env: { ...input.env, ...exported }, cacheDir: await cacheFor(input, cacheKeyOf(url)) };
    const pack = await resolve(ctx, url, path.join(scratch, String(i + 1)), input, () => exported);
    if (!(await pack.detect(input.buildDir))) {
      throw new MinikError(`buildpack ${url} does not detect this app (its detect failed)`, {
        code: 'build_failed',
        hint: `see its output above; the list comes from ${LIST_NAMES[input.list.from]}: fix it, or remove the buildpack`,
      });
    }
    const result = await pack.build(ctx);
    Object.assign(built.defaultProcessTypes, result.defaultProcessTypes); // the last buildpack's defaults win, as on Heroku
    Object.assign(built.configVars, result.configVars ?? {});
    built.buildpacks.push(url);
    if (result.runtime) built.runtime = result.runtime;
    if (result.exportFile) {
      exports.push(result.exportFile);
      exported = await exportedVariables(ctx, exports, buildEnv({}), scratch);
    }
  }
  return built;
}

const LIST_NAMES: Record<ListSource, string> = { app: "the app's buildpack list", 'app.json': 'app.json', '.buildpacks': '.buildpacks' };

/** A built-in by name, or a classic buildpack fetched and copied into `workDir`. */
async function resolve(ctx: BuildContext, url: string, workDir: string, input: BuildpacksInput, exported: () => Record<string, string>): Promise<Buildpack> {
  const builtin = builtinBuildpack(url);
  if (builtin) return builtin;
  await mkdir(workDir, { recursive: true });
  const source = await fetchBuildpack(ctx, url, input.buildpacksHome);
  const pack = classicBuildpack({ url, source, workDir, exported, config: input.env, ctx });
  await pack.prepare();
  return pack;
}

/**
 * Built-ins keep their cache under their name; a fetched buildpack under a hash of its URL without the
 * #ref, so moving a buildpack to a newer ref keeps the app's cache, as Heroku does when a buildpack updates.
 */
function cacheKeyOf(url: string): string {
  const base = url.trim().replace(/#[^#]*$/, '');
  return builtinBuildpack(url)?.name ?? `bp-${createHash('sha256').update(base).digest('hex').slice(0, 16)}`;
}

async function cacheFor(input: BuildpacksInput, key: string): Promise<string> {
  const dir = path.join(input.cacheRoot, key);
  mkdirSync(dir, { recursive: true }); // metadata only: see core/files.ts
  return dir;
}

function formatDuration(ms: number): string {
  const s = ms / 1000;
  return s >= 60 && s % 60 === 0 ? `${s / 60} minute${s === 60 ? '' : 's'}` : `${s} second${s === 1 ? '' : 's'}`;
}
