// Why: every new release (deploy, config change, rollback) goes through the same steps: record it, run
// the release phase, preboot its dynos, then commit the release, its config and formation in one
// transaction and retire the old dynos. Any failure before the commit leaves the old release (and its
// config) serving and recorded as current.
import { rm } from 'node:fs/promises';
import { MinikError } from '../core/errors.js';
import type { ConfigVars, Formation, ProcessTypes, Release, Runtime } from '../core/types.js';
import type { Context, Output } from './context.js';
import { servingNote, slugGone, startDyno } from './dynos.js';
import { mergeFormation } from './formation.js';
import { readAppJson } from './appjson.js';
import type { Healthcheck } from './healthchecks.js';
import { lateFailure, rollout } from './rollout.js';
import { copySlug, removeScratch } from './scratch.js';

export interface ReleaseInput {
  slug: string;
  /** The app's complete config for this release; it becomes the app's config only if the release succeeds. */
  config: ConfigVars;
  dotenv: ConfigVars;
  processTypes: ProcessTypes;
  buildpack: string;
  description: string;
  /** The git commit the slug was built from; follows the slug into config-change and rollback releases. */
  sourceVersion?: string | null;
  /** The interpreter the slug was built with; follows the slug like sourceVersion. */
  runtime?: Runtime | null;
  /** app.json's web healthchecks, which must pass before the router switches; default: the slug's app.json. */
  checks?: Healthcheck[];
  /** The formation to apply; by default the app's, with new types at 0. */
  formation?: Formation;
  /** false: record the release and make it current without restarting dynos (config:set --no-restart). */
  restart?: boolean;
  /** false: stream only release-phase output, not the rollout's steps (config:set and rollback print one line). */
  progress?: boolean;
}

/** Cuts and rolls out a release; returns it once it is live. Throws (marking it failed) if any step fails. */
export async function cutRelease(ctx: Context, app: string, input: ReleaseInput, out: Output): Promise<Release> {
  const rel = ctx.store.createRelease({
    app, slug: input.slug, config: input.config, dotenv: input.dotenv, processTypes: input.processTypes,
    buildpack: input.buildpack, description: input.description, status: 'pending',
    ...(input.sourceVersion ? { sourceVersion: input.sourceVersion } : {}),
    ...(input.runtime ? { runtime: input.runtime } : {}),
  });
  const formation = input.formation ?? mergeFormation(ctx.store.getFormation(app), rel.processTypes);
  const commit = () => ctx.store.transaction(() => {
    ctx.store.replaceConfig(app, rel.config);
    ctx.store.setFormation(app, formation);
    ctx.store.setReleaseStatus(app, rel.version, 'succeeded');
    ctx.store.setCurrentRelease(app, rel.version);
  });
  let late: MinikError | null = null;
  try {
    if (rel.processTypes.release) await runReleasePhase(ctx, rel, out);
    if (input.restart === false) {
      commit();
      ctx.syncRoutes();
    } else {
      late = lateFailure(await rollout(ctx, rel, formation, { commit, atomic: true, checks: input.checks ?? await slugChecks(input.slug), out: input.progress === false ? undefined : out }), `v${rel.version} serves web traffic, but `);
    }
  } catch (err) {
    ctx.store.setReleaseStatus(app, rel.version, 'failed');
    ctx.logs.write(app, 'minik', 'api', `Release v${rel.version} failed: ${(err as Error).message}`);
    await pruneSlugs(ctx, app);
    throw notDeployed(ctx, rel, err);
  }
  ctx.logs.write(app, 'minik', 'api', `Release v${rel.version} created (${rel.description})`);
  await pruneSlugs(ctx, app);
  if (late) throw late;
  return { ...rel, status: 'succeeded' };
}

/**
 * Why: a config change or rollback starts new web dynos too, and Dokku checks them the same way. The
 * slug's app.json passed the same reader when it was built; one that no longer reads (built by an older
 * minik, or left out by .slugignore) means no checks rather than a release that cannot be cut.
 */
async function slugChecks(slug: string): Promise<Healthcheck[]> {
  return (await readAppJson(slug).catch(() => null))?.healthchecks ?? [];
}

/** Why: a dyno that did not boot fails the release; the message says so and what serves instead. */
function notDeployed(ctx: Context, rel: Release, err: unknown): unknown {
  if (!(err instanceof MinikError) || !['crashed', 'boot_timeout', 'stopped', 'healthcheck_failed'].includes(err.code)) return err;
  return new MinikError(`v${rel.version} was not deployed: ${err.message}`, { code: err.code, hint: `${servingNote(ctx, rel.app)}; ${err.hint ?? 'see minik logs'}` });
}

/** Runs the `release` process type as a one-off dyno; its output streams to the client; non-zero cancels. */
async function runReleasePhase(ctx: Context, rel: Release, out: Output): Promise<void> {
  const command = rel.processTypes.release!;
  out.log(`-----> Running release command: ${command}`);
  const status = await runToEnd(ctx, rel, `release.${rel.version}`, command, (line) => out.log(`       ${line}`));
  if (status === 'timeout') {
    throw new MinikError(`release phase timed out: '${command}' ran longer than ${ctx.settings.releaseTimeoutMs / 1000} s`, {
      hint: `v${rel.version} was not deployed and ${servingNote(ctx, rel.app)}; make the release command finish sooner, or raise MINIK_RELEASE_TIMEOUT (seconds)`,
      code: 'release_failed',
    });
  }
  if (status !== 0) {
    const why = status === 143 || status === 137 ? `was stopped (status ${status})` : `exited with status ${status}`;
    throw new MinikError(`release phase failed: '${command}' ${why}`, {
      hint: `v${rel.version} was not deployed and ${servingNote(ctx, rel.app)}; fix the release command and deploy again`,
      code: 'release_failed',
    });
  }
}

/**
 * Runs a one-off dyno (release phase, postdeploy, `run`) to its end within MINIK_RELEASE_TIMEOUT, handing
 * each output line to onLine; returns its exit status, or 'timeout' once it was stopped for running too long.
 * It runs in a throwaway copy of the slug, so its writes never reach the dynos' slug.
 */
export async function runToEnd(ctx: Context, rel: Release, name: string, command: string, onLine: (line: string) => void): Promise<number | 'timeout'> {
  if (!rel.slug) throw slugGone(rel);
  const scratch = await copySlug(ctx.settings.home, rel.app, name, rel.slug);
  const unfollow = ctx.logs.follow(rel.app, { process: name, source: 'app' }, (l) => onLine(l.message));
  let timer: NodeJS.Timeout | undefined;
  try {
    const dyno = await startDyno(ctx, rel, name, { command, oneOff: true, cwd: scratch.slug });
    const timedOut = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), ctx.settings.releaseTimeoutMs); });
    const end = await Promise.race([dyno.waitExit(), timedOut]);
    await ctx.supervisor.stop(dyno);
    if (end === 'timeout') return end;
    return end.code ?? 128 + (end.signal === 'SIGKILL' ? 9 : 15);
  } finally {
    clearTimeout(timer);
    unfollow();
    await removeScratch(scratch);
  }
}

/**
 * Deletes every slug no kept release uses. Kept: the newest `keepSlugs` releases that succeeded (the
 * rollback targets), the current one, and pending ones; a failed release's slug goes at once.
 */
export async function pruneSlugs(ctx: Context, app: string): Promise<void> {
  const releases = ctx.store.listReleases(app);
  const current = ctx.store.getApp(app)?.currentRelease;
  const succeeded = releases.filter((r) => r.status === 'succeeded').slice(0, ctx.settings.keepSlugs);
  const kept = new Set([...succeeded, ...releases.filter((r) => r.version === current || r.status === 'pending')].map((r) => r.slug));
  for (const r of releases) {
    if (!r.slug || kept.has(r.slug)) continue;
    await rm(r.slug, { recursive: true, force: true });
    ctx.store.setReleaseSlug(app, r.version, null);
  }
}
