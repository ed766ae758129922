// Why: the deploy pipeline's stages in order, as on Heroku and Dokku: receive → detect → build → release.
import { randomBytes, createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { invalid } from '../core/errors.js';
import type { ConfigVars, ProcessTypes, Release } from '../core/types.js';
import { runBuildpacks, chooseBuildpacks, parseDotBuildpacks } from '../buildpacks/index.js';
import { parseDotenv, parseProcfile } from '../procfile/index.js';
import { appJsonConfig, readAppJson } from './appjson.js';
import { teeOutput, type Context, type Output } from './context.js';
import { defaultFormation } from './formation.js';
import { runOneOff } from './oneoff.js';
import { receiveSource } from './receive.js';
import { cutRelease } from './release.js';

/** Builds sourceDir into a new slug and releases it; the running release keeps serving if any stage fails. */
export async function deploy(ctx: Context, app: string, sourceDir: string, clientOut: Output): Promise<Release> {
  const out = teeOutput(ctx, app, clientOut);
  const id = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const buildDir = join(ctx.settings.home, 'builds', app, id);
  const slug = join(ctx.settings.home, 'slugs', app, id);
  try {
    await receiveSource(sourceDir, buildDir, [ctx.settings.home]);
    const appJson = await readAppJson(buildDir);
    const commit = await sourceCommit(sourceDir);
    const built = await runBuildpacks({
      app, buildDir, env: ctx.store.getConfig(app), log: out.log, sourceVersion: commit ?? undefined,
      cacheRoot: join(ctx.settings.home, 'cache', app), buildpacksHome: join(ctx.settings.home, 'buildpacks'),
      list: chooseBuildpacks(ctx.store.getBuildpacks(app), appJson.buildpacks, parseDotBuildpacks(await readFile(join(buildDir, '.buildpacks'), 'utf8').catch(() => ''))),
      timeoutMs: ctx.settings.buildTimeoutMs,
    });
    const processTypes = await discoverProcessTypes(buildDir, built.defaultProcessTypes, out);
    // bin/release's config_vars are the slug's defaults: .env and config vars override them.
    const dotenv = { ...built.configVars, ...(await readDotenv(buildDir)) };
    const first = ctx.store.listReleases(app).every((r) => r.status !== 'succeeded');
    let config = ctx.store.getConfig(app);
    if (first) {
      const generated = appJsonConfig(appJson, config, dotenv);
      if (Object.keys(generated).length > 0) config = ctx.store.setConfig(app, generated, []);
    }
    await mkdir(join(ctx.settings.home, 'slugs', app), { recursive: true });
    await rename(buildDir, slug);
    const rel = await cutRelease(ctx, app, {
      slug, config, dotenv, processTypes, buildpack: built.buildpacks.join(', '),
      description: `Deploy ${commit?.slice(0, 7) ?? createHash('sha1').update(id).digest('hex').slice(0, 7)}`,
      formation: first ? defaultFormation(processTypes, appJson.formation) : undefined,
    }, out);
    if (first && appJson.postdeploy) await runPostdeploy(ctx, rel, appJson.postdeploy, out);
    return rel;
  } catch (err) {
    if (!(ctx.store.listReleases(app).some((r) => r.slug === slug))) await rm(slug, { recursive: true, force: true });
    throw err;
  } finally {
    await rm(buildDir, { recursive: true, force: true });
  }
}

/** Procfile types override the buildpack's defaults; an app needs at least one type to run. */
async function discoverProcessTypes(dir: string, defaults: ProcessTypes, out: Output): Promise<ProcessTypes> {
  const text = await readFile(join(dir, 'Procfile'), 'utf8').catch(() => null);
  const types = { ...defaults, ...(text === null ? {} : parseProcfile(text, 'Procfile')) };
  const names = Object.keys(types);
  if (names.filter((t) => t !== 'release').length === 0) {
    throw invalid('no process types found: there is no Procfile and the buildpack has no default', 'add a Procfile, e.g. "web: node server.js"');
  }
  out.log('-----> Discovering process types');
  out.log(`       ${text === null ? 'Default types for buildpack' : 'Procfile declares types'} -> ${names.join(', ')}`);
  return types;
}

async function readDotenv(dir: string): Promise<ConfigVars> {
  const text = await readFile(join(dir, '.env'), 'utf8').catch(() => null);
  return text === null ? {} : parseDotenv(text, '.env');
}

/** The commit the folder is at when it is a git repository (SOURCE_VERSION; "Deploy 3f2a1c1"), else null. */
async function sourceCommit(dir: string): Promise<string | null> {
  const git = await execa('git', ['rev-parse', 'HEAD'], { cwd: dir, reject: false }).catch(() => null);
  return git?.exitCode === 0 && /^[0-9a-f]{40,64}$/.test(git.stdout.trim()) ? git.stdout.trim() : null;
}

/** app.json's scripts.postdeploy, once after the first deploy, as a one-off dyno. */
async function runPostdeploy(ctx: Context, rel: Release, command: string, out: Output): Promise<void> {
  out.log(`-----> Running postdeploy: ${command}`);
  const code = await runOneOff(ctx, rel, command, (line) => out.log(`       ${line}`));
  if (code !== 0) {
    throw invalid(`postdeploy script '${command}' exited with status ${code}`, `v${rel.version} is live; fix the script and run it with 'minik run -- ${command}'`);
  }
}

/** config:set / config:unset: records the vars and, with a live release, cuts a release that uses them. */
export async function changeConfig(ctx: Context, app: string, set: ConfigVars, unset: string[], restart: boolean, out: Output): Promise<{ release: number | null; config: ConfigVars }> {
  const a = ctx.store.requireApp(app);
  const config = ctx.store.setConfig(app, set, unset);
  const current = a.currentRelease === null ? null : ctx.store.getRelease(app, a.currentRelease);
  if (!current?.slug) return { release: null, config };
  const rel = await cutRelease(ctx, app, { ...current, slug: current.slug, config, description: configDescription(set, unset), restart }, teeOutput(ctx, app, out));
  return { release: rel.version, config };
}

/** Heroku's wording: "Set GREETING, NAME config vars", "Unset NAME config var". */
export function configDescription(set: ConfigVars, unset: string[]): string {
  const parts: string[] = [];
  const keys = Object.keys(set);
  if (keys.length) parts.push(`Set ${keys.join(', ')} config var${keys.length > 1 ? 's' : ''}`);
  if (unset.length) parts.push(`Unset ${unset.join(', ')} config var${unset.length > 1 ? 's' : ''}`);
  return parts.join('; ');
}
