// Why: the deploy pipeline's stages in order, as on Heroku and Dokku: receive → detect → build make a
// slug (outside the app's lock, cancellable); release → rollout make it live (under the lock).
import { randomBytes, createHash } from 'node:crypto';
import { mkdirSync, renameSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { readText, statOrNull } from '../core/files.js';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { dict } from '../core/dict.js';
import { invalid, MinikError } from '../core/errors.js';
import { checkConfigSize } from '../core/limits.js';
import { validateConfigKey } from '../core/names.js';
import type { ConfigVars, ProcessTypes, Release, Runtime } from '../core/types.js';
import { runBuildpacks, chooseBuildpacks, parseDotBuildpacks } from '../buildpacks/index.js';
import { parseDotenv, parseProcfile } from '../procfile/index.js';
import { appJsonConfig, readAppJson, type AppJson } from './appjson.js';
import type { Context, Output } from './context.js';
import { servingNote } from './dynos.js';
import { defaultFormation } from './formation.js';
import { runOneOff } from './oneoff.js';
import { receiveSource } from './receive.js';
import { cutRelease } from './release.js';

/** What a deploy may say beyond its folder (a git push gives the commit and its push options). */
export interface DeployOptions {
  /** The full commit sha: the release's commit, "Deploy <short sha>", and SOURCE_VERSION for the build. */
  sourceVersion?: string;
  /** Build with an empty dependency cache (`git push -o no-cache`); the app's cache is left as it was. */
  noCache?: boolean;
  /** The git ref pushed (refs/heads/main), for telling concurrent pushes apart. */
  ref?: string;
}

/** A slug built from a source folder, not yet released. */
export interface Build {
  slug: string;
  buildpack: string;
  processTypes: ProcessTypes;
  dotenv: ConfigVars;
  appJson: AppJson;
  description: string;
  sourceVersion: string | null;
  /** The interpreter the buildpack selected, recorded in the release. */
  runtime: Runtime | null;
}

/** Why: the one error a cancelled build ends with, whichever step it interrupted. */
export function canceledError(ctx: Context, app: string): MinikError {
  return new MinikError('deploy canceled: the client disconnected during the build', {
    hint: `nothing was released and ${servingNote(ctx, app)}; run minik up again`,
    code: 'canceled',
  });
}

/** receive → detect → build: a slug folder, or an error; never touches the app's releases. `signal` cancels it. */
export async function buildSlug(ctx: Context, app: string, sourceDir: string, out: Output, signal: AbortSignal, opts: DeployOptions = {}): Promise<Build> {
  const id = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const buildDir = join(ctx.settings.home, 'builds', app, id);
  const slug = join(ctx.settings.home, 'slugs', app, id);
  const check = () => { if (signal.aborted) throw canceledError(ctx, app); };
  // Asked of git now, answered while the source is received: `git rev-parse` is a process start on every redeploy.
  const commitLookup = opts.sourceVersion ? Promise.resolve(opts.sourceVersion) : sourceCommit(sourceDir);
  try {
    await receiveSource(sourceDir, buildDir, [ctx.settings.home]);
    check();
    if (statOrNull(join(buildDir, 'Procfile'))?.isDirectory()) {
      throw invalid(`Procfile in ${sourceDir} is a folder, not a file`, "make Procfile a text file with one 'type: command' line per process type, e.g. 'web: node server.js'");
    }
    // app.json and .env are checked before the build, so a typo or a missing required var fails in a
    // second instead of after a full dependency install.
    const appJson = await readAppJson(buildDir);
    if (isFirstDeploy(ctx, app)) appJsonConfig(appJson, ctx.store.getConfig(app), await readDotenv(buildDir));
    if (appJson.skippedChecks) out.log(`-----> app.json healthchecks minik does not run: ${appJson.skippedChecks.join(', ')}`);
    const commit = await commitLookup;
    const built = await runBuildpacks({
      app, home: ctx.settings.home, id, buildDir, env: { ...ctx.store.getConfig(app), ...(commit ? { SOURCE_VERSION: commit } : {}) }, log: out.log, signal, sourceVersion: commit ?? undefined,
      cacheRoot: opts.noCache ? `${buildDir}-nocache` : join(ctx.settings.home, 'cache', app), buildpacksHome: join(ctx.settings.home, 'buildpacks'),
      list: chooseBuildpacks(ctx.store.getBuildpacks(app), appJson.buildpacks, parseDotBuildpacks(readText(join(buildDir, '.buildpacks')) ?? '')),
      timeoutMs: ctx.settings.buildTimeoutMs,
    });
    check();
    const processTypes = await discoverProcessTypes(buildDir, built.defaultProcessTypes, out);
    // bin/release's config_vars are the slug's defaults: .env and config vars override them.
    const dotenv = dict({ ...built.configVars, ...(await readDotenv(buildDir)) });
    mkdirSync(join(ctx.settings.home, 'slugs', app), { recursive: true }); // metadata only: see core/files.ts
    renameSync(buildDir, slug);
    return {
      slug, buildpack: built.buildpacks.join(', '), processTypes, dotenv, appJson, sourceVersion: opts.sourceVersion ?? null, runtime: built.runtime ?? null,
      description: `Deploy ${commit?.slice(0, 7) ?? createHash('sha1').update(id).digest('hex').slice(0, 7)}`,
    };
  } catch (err) {
    await rm(slug, { recursive: true, force: true });
    throw signal.aborted ? canceledError(ctx, app) : inSource(err, buildDir, sourceDir);
  } finally {
    if (statOrNull(buildDir)) await rm(buildDir, { recursive: true, force: true }); // renamed to the slug when it built
    if (opts.noCache) await rm(`${buildDir}-nocache`, { recursive: true, force: true });
  }
}

/** release → rollout of a build (the caller holds the app's lock); the first release also gets app.json's config and formation. */
export async function releaseBuild(ctx: Context, app: string, build: Build, out: Output): Promise<Release> {
  try {
    ctx.store.requireApp(app);
    const first = isFirstDeploy(ctx, app);
    const current = ctx.store.getConfig(app);
    const config = first ? dict({ ...current, ...appJsonConfig(build.appJson, current, build.dotenv) }) : current;
    const rel = await cutRelease(ctx, app, {
      slug: build.slug, config, dotenv: build.dotenv, processTypes: build.processTypes, buildpack: build.buildpack,
      description: build.description, sourceVersion: build.sourceVersion, runtime: build.runtime,
      checks: build.appJson.healthchecks,
      formation: first ? defaultFormation(build.processTypes, build.appJson.formation) : undefined,
    }, out);
    if (first && build.appJson.postdeploy) await runPostdeploy(ctx, rel, build.appJson.postdeploy, out);
    return rel;
  } finally {
    // A release that failed had its slug pruned; one that was never cut must not leave it behind.
    if (!ctx.store.getApp(app) || !ctx.store.listReleases(app).some((r) => r.slug === build.slug)) await rm(build.slug, { recursive: true, force: true });
  }
}

/** Why: app.json's config and formation apply once, until a release has succeeded. */
function isFirstDeploy(ctx: Context, app: string): boolean {
  return ctx.store.listReleases(app).every((r) => r.status !== 'succeeded');
}

/** Why: build errors speak of the user's folder, never of minik's internal copy of it. */
function inSource(err: unknown, buildDir: string, sourceDir: string): unknown {
  if (!(err instanceof MinikError) || !(err.message.includes(buildDir) || err.hint?.includes(buildDir))) return err;
  const fix = (text: string) => text.split(buildDir).join(sourceDir);
  return new MinikError(fix(err.message), { hint: err.hint && fix(err.hint), code: err.code, exitCode: err.exitCode });
}

/** Procfile types override the buildpack's defaults; an app needs at least one type to run. */
async function discoverProcessTypes(dir: string, defaults: ProcessTypes, out: Output): Promise<ProcessTypes> {
  const text = readText(join(dir, 'Procfile'));
  const types = dict({ ...defaults, ...(text === null ? {} : parseProcfile(text, 'Procfile')) });
  const names = Object.keys(types);
  if (names.filter((t) => t !== 'release').length === 0) {
    throw invalid('no process types found: there is no Procfile and the buildpack has no default', 'add a Procfile, e.g. "web: node server.js"');
  }
  out.log('-----> Discovering process types');
  out.log(`       ${text === null ? 'Default types for buildpack' : 'Procfile declares types'} -> ${names.join(', ')}`);
  return types;
}

async function readDotenv(dir: string): Promise<ConfigVars> {
  const text = readText(join(dir, '.env'));
  return text === null ? dict() : parseDotenv(text, '.env');
}

/** The commit the folder is at when it is a git repository (SOURCE_VERSION; "Deploy 3f2a1c1"), else null. */
async function sourceCommit(dir: string): Promise<string | null> {
  if (!(await hasGitAbove(dir))) return null;
  const git = await execa('git', ['rev-parse', 'HEAD'], { cwd: dir, reject: false }).catch(() => null);
  return git?.exitCode === 0 && /^[0-9a-f]{40,64}$/.test(git.stdout.trim()) ? git.stdout.trim() : null;
}

/**
 * Whether `dir` or a folder above it holds a `.git` (a folder, or a worktree's file). Why: starting git costs
 * ~2 ms of the event loop on every redeploy (`up --watch`); a few stat calls tell that a folder outside any
 * repository has no commit without it.
 */
async function hasGitAbove(dir: string): Promise<boolean> {
  for (let d = dir; ; d = dirname(d)) {
    if (statOrNull(join(d, '.git'))) return true;
    if (dirname(d) === d) return false;
  }
}

/** app.json's scripts.postdeploy, once after the first deploy, as a one-off dyno. */
async function runPostdeploy(ctx: Context, rel: Release, command: string, out: Output): Promise<void> {
  out.log(`-----> Running postdeploy: ${command}`);
  const code = await runOneOff(ctx, rel, command, (line) => out.log(`       ${line}`));
  if (code !== 0) {
    const why = code === 'timeout' ? `ran longer than ${ctx.settings.releaseTimeoutMs / 1000} s and was stopped` : `exited with status ${code}`;
    throw invalid(`postdeploy script '${command}' ${why}`, `v${rel.version} is live; fix the script and run it with 'minik run -- ${command}'`);
  }
}

/** The config an app would have after a change; validated and size-checked before anything is recorded. */
export function nextConfig(current: ConfigVars, set: ConfigVars, unset: string[]): ConfigVars {
  const both = unset.find((key) => Object.hasOwn(set, key));
  if (both !== undefined) throw invalid(`config var '${both}' is both set and unset`, 'pass it to one of the two');
  const config = dict(current);
  for (const key of unset) delete config[validateConfigKey(key)];
  for (const [key, value] of Object.entries(set)) config[validateConfigKey(key)] = value;
  checkConfigSize(config);
  return config;
}

/** config:set / config:unset: with a live release, the new config commits only with the release that uses it. */
export async function changeConfig(ctx: Context, app: string, set: ConfigVars, unset: string[], restart: boolean, out: Output, description = configDescription(set, unset)): Promise<{ release: number | null; config: ConfigVars }> {
  const a = ctx.store.requireApp(app);
  const config = nextConfig(ctx.store.getConfig(app), set, unset);
  const current = a.currentRelease === null ? null : ctx.store.getRelease(app, a.currentRelease);
  if (!current?.slug) return { release: null, config: ctx.store.setConfig(app, set, unset) };
  const rel = await cutRelease(ctx, app, { ...current, slug: current.slug, config, description, restart, progress: false }, out);
  return { release: rel.version, config: ctx.store.getConfig(app) };
}

/** Heroku's wording: "Set GREETING, NAME config vars", "Unset NAME config var". */
export function configDescription(set: ConfigVars, unset: string[]): string {
  const parts: string[] = [];
  const keys = Object.keys(set);
  if (keys.length) parts.push(`Set ${keys.join(', ')} config var${keys.length > 1 ? 's' : ''}`);
  if (unset.length) parts.push(`Unset ${unset.join(', ')} config var${unset.length > 1 ? 's' : ''}`);
  return parts.join('; ');
}
