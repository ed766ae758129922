// Why: every new release (deploy, config change, rollback) goes through the same steps: record it, run
// the release phase, preboot its dynos, switch traffic, retire the old ones; any failure leaves the old serving.
import { rm } from 'node:fs/promises';
import { MinikError } from '../core/errors.js';
import type { ConfigVars, Formation, ProcessTypes, Release } from '../core/types.js';
import type { Context, Output } from './context.js';
import { formationDynos, startAndWait, startDyno } from './dynos.js';
import { mergeFormation, wantedDynos } from './formation.js';

export interface ReleaseInput {
  slug: string;
  config: ConfigVars;
  dotenv: ConfigVars;
  processTypes: ProcessTypes;
  buildpack: string;
  description: string;
  /** The git commit the slug was built from; follows the slug into config-change and rollback releases. */
  sourceVersion?: string | null;
  /** The formation to apply; by default the app's, with new types at 0. */
  formation?: Formation;
  /** false: record the release and make it current without restarting dynos (config:set --no-restart). */
  restart?: boolean;
}

/** Cuts and rolls out a release; returns it once it is live. Throws (marking it failed) if any step fails. */
export async function cutRelease(ctx: Context, app: string, input: ReleaseInput, out: Output): Promise<Release> {
  const rel = ctx.store.createRelease({
    app, slug: input.slug, config: input.config, dotenv: input.dotenv, processTypes: input.processTypes,
    buildpack: input.buildpack, description: input.description, status: 'pending',
    ...(input.sourceVersion ? { sourceVersion: input.sourceVersion } : {}),
  });
  let lateFailure: MinikError | null = null;
  try {
    if (rel.processTypes.release) await runReleasePhase(ctx, rel, out);
    const formation = input.formation ?? mergeFormation(ctx.store.getFormation(app), rel.processTypes);
    if (input.restart !== false) lateFailure = await rollout(ctx, rel, formation, out);
    ctx.store.transaction(() => {
      ctx.store.setFormation(app, formation);
      ctx.store.setReleaseStatus(app, rel.version, 'succeeded');
      ctx.store.setCurrentRelease(app, rel.version);
    });
    ctx.syncRoutes();
  } catch (err) {
    ctx.store.setReleaseStatus(app, rel.version, 'failed');
    ctx.logs.write(app, 'minik', 'api', `Release v${rel.version} failed: ${(err as Error).message}`);
    throw err;
  }
  ctx.logs.write(app, 'minik', 'api', `Release v${rel.version} created (${rel.description})`);
  if (input.restart === false) ctx.live.set(app, ctx.live.get(app) ?? rel.version);
  await pruneSlugs(ctx, app);
  if (lateFailure) throw lateFailure;
  return { ...rel, status: 'succeeded' };
}

/** Runs the `release` process type as a one-off dyno; its output streams to the client; non-zero cancels. */
async function runReleasePhase(ctx: Context, rel: Release, out: Output): Promise<void> {
  const name = `release.${rel.version}`;
  out.log(`-----> Running release command: ${rel.processTypes.release}`);
  const unfollow = ctx.logs.follow(rel.app, { process: name, source: 'app' }, (l) => out.log(`       ${l.message}`));
  try {
    const dyno = await startDyno(ctx, rel, name, { oneOff: true });
    const { code, signal } = await dyno.waitExit();
    await ctx.supervisor.stop(dyno);
    if (code !== 0) {
      const status = code ?? signal;
      throw new MinikError(`release phase failed: '${rel.processTypes.release}' exited with status ${status}`, {
        hint: `v${rel.version} was not deployed and the running release keeps serving; fix the release command and deploy again`,
        code: 'release_failed',
      });
    }
  } finally {
    unfollow();
  }
}

/**
 * Heroku's preboot: new web dynos start beside the old ones, traffic switches once all are up, old ones stop.
 * Returns the failure of a non-web dyno that crashed after the switch: the release is live, but the deploy must not say "done".
 */
async function rollout(ctx: Context, rel: Release, formation: Formation, out: Output): Promise<MinikError | null> {
  const app = rel.app;
  const wanted = wantedDynos(formation, rel.processTypes);
  const web = wanted.filter((n) => n.startsWith('web.'));
  const others = wanted.filter((n) => !n.startsWith('web.'));
  const old = formationDynos(ctx, app).filter((d) => d.spec.release !== rel.version);
  if (web.length > 0) out.log(`-----> Starting ${plural(web.length, 'web dyno')} of v${rel.version}`);
  await startAndWait(ctx, rel, web, 'stop');
  ctx.live.set(app, rel.version);
  ctx.syncRoutes();
  await Promise.all(old.filter((d) => d.spec.type !== 'web').map((d) => ctx.supervisor.stop(d)));
  const oldWeb = Promise.all(old.filter((d) => d.spec.type === 'web').map((d) => ctx.supervisor.stop(d)));
  if (others.length > 0) out.log(`-----> Starting ${others.join(', ')}`);
  const started = await Promise.allSettled([startAndWait(ctx, rel, others, 'keep'), oldWeb]);
  if (started[0].status === 'fulfilled') return null;
  return new MinikError(`v${rel.version} serves web traffic, but ${(started[0].reason as Error).message}`, {
      hint: `see 'minik logs' and 'minik ps'; fix the process and deploy again`,
      code: 'boot_failed',
    });
}

/** Deletes slugs no kept release uses (the newest `keepSlugs` releases and the live one keep theirs). */
async function pruneSlugs(ctx: Context, app: string): Promise<void> {
  const releases = ctx.store.listReleases(app);
  const current = ctx.store.getApp(app)?.currentRelease;
  const kept = new Set(releases.filter((r, i) => i < ctx.settings.keepSlugs || r.version === current).map((r) => r.slug));
  for (const r of releases) {
    if (r.slug && !kept.has(r.slug)) {
      await rm(r.slug, { recursive: true, force: true });
      ctx.store.setReleaseSlug(app, r.version, null);
    }
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
