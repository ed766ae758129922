// Why: turning a release and a dyno name into a running, supervised process, and bringing a formation about.
import { conflict, invalid, MinikError, notFound } from '../core/errors.js';
import { parseDynoName } from '../core/names.js';
import type { Formation, Release } from '../core/types.js';
import { currentCommand } from '../buildpacks/index.js';
import type { Dyno } from '../supervisor/index.js';
import type { Context } from './context.js';
import { dynoEnv } from './env.js';
import { parseMemory, planScale, wantedDynos } from './formation.js';

/** Starts one dyno of a release (web dynos get a port and are up once it accepts connections). */
export async function startDyno(ctx: Context, rel: Release, name: string, opts: { command?: string; oneOff?: boolean } = {}): Promise<Dyno> {
  const type = name.slice(0, name.lastIndexOf('.'));
  const command = opts.command ?? currentCommand(rel.processTypes[type] ?? '');
  if (!command) throw invalid(`release v${rel.version} of ${rel.app} has no process type '${type}'`, `process types: ${Object.keys(rel.processTypes).join(', ')}`);
  if (!rel.slug) throw slugGone(rel);
  const port = ctx.supervisor.ports.take(); // given back when the dyno stops
  try {
    return ctx.supervisor.start({
      app: rel.app,
      name,
      type,
      release: rel.version,
      command,
      cwd: rel.slug,
      env: dynoEnv(process.env, rel, name, port),
      port: type === 'web' && !opts.oneOff ? port : null,
      restart: !opts.oneOff,
      bootTimeoutMs: ctx.settings.bootTimeoutMs,
      stopTimeoutMs: ctx.settings.stopTimeoutMs,
      memoryLimitBytes: parseMemory(rel.config.MINIK_MEMORY_LIMIT) ?? undefined,
    });
  } catch (err) {
    ctx.supervisor.ports.release(port);
    throw err;
  }
}

/** Why: rolling back to a pruned release must say so rather than fail obscurely. */
export function slugGone(rel: Release): MinikError {
  return notFound(`the slug of ${rel.app} v${rel.version} was pruned (minik keeps the last 5)`, `deploy again with 'minik up', or roll back to a newer release`);
}

/** The formation dynos (not one-off ones) of an app's given release that are running now. */
export function formationDynos(ctx: Context, app: string, release?: number): Dyno[] {
  return ctx.supervisor.list(app).filter((d) => d.spec.restart && (release === undefined || d.spec.release === release));
}

/**
 * Starts dynos and waits until every one is up. On failure, preboot dynos (`onFailure: 'stop'`) are stopped so the
 * old release keeps serving; formation dynos (`'keep'`) stay and crash-loop with backoff, as the formation asks.
 */
export async function startAndWait(ctx: Context, rel: Release, names: string[], onFailure: 'stop' | 'keep'): Promise<Dyno[]> {
  const dynos: Dyno[] = [];
  try {
    for (const name of names) dynos.push(await startDyno(ctx, rel, name));
    await Promise.all(dynos.map((d) => d.waitUp()));
    return dynos;
  } catch (err) {
    if (onFailure === 'stop') await Promise.all(dynos.map((d) => ctx.supervisor.stop(d)));
    else if (err instanceof MinikError) throw new MinikError(err.message, { hint: `minik keeps restarting it with backoff; see 'minik logs --ps ${dynoOf(err.message)}' and 'minik ps'`, code: err.code });
    throw err;
  }
}

function dynoOf(message: string): string {
  return /dyno (\S+)/.exec(message)?.[1] ?? 'TYPE';
}

/** Brings the live release's dynos to the formation: starts missing ones (waiting until up), stops extra ones. */
export async function applyFormation(ctx: Context, rel: Release, formation: Formation): Promise<void> {
  const running = formationDynos(ctx, rel.app, rel.version);
  const plan = planScale(running.map((d) => d.spec.name), wantedDynos(formation, rel.processTypes));
  const extra = running.filter((d) => plan.stop.includes(d.spec.name));
  await Promise.all([startAndWait(ctx, rel, plan.start, 'keep'), ...extra.map((d) => ctx.supervisor.stop(d))]);
}

/** The running dynos a `restart`/`stop` target names: all, a process type ('web') or one dyno ('web.2'). */
export function targetDynos(ctx: Context, app: string, target?: string): Dyno[] {
  const all = ctx.supervisor.list(app).filter((d) => d.spec.restart);
  if (!target) return all;
  const byName = parseDynoName(target) !== null;
  const found = all.filter((d) => (byName ? d.spec.name === target : d.spec.type === target));
  if (found.length === 0) {
    const names = all.map((d) => d.spec.name).join(', ') || 'none';
    throw notFound(`no running dyno of ${app} matches '${target}'`, `running dynos: ${names}; see 'minik ps'`);
  }
  return found;
}

/** Why: scale arguments are checked against the live release before anything changes. */
export function checkScale(rel: Release, changes: Formation): void {
  for (const [type, qty] of Object.entries(changes)) {
    if (type === 'release') throw invalid(`'release' is the release phase, not a process type you can scale`, 'scale web or another type from your Procfile');
    if (!(type in rel.processTypes)) {
      const types = Object.keys(rel.processTypes).filter((t) => t !== 'release').join(', ');
      throw invalid(`unknown process type '${type}' for ${rel.app}`, `this app's types are: ${types}`);
    }
    if (!Number.isInteger(qty) || qty < 0 || qty > 100) throw invalid(`scale ${type}=${qty}: the quantity must be a whole number from 0 to 100`, `e.g. minik scale ${type}=2`);
  }
}

/** Why: a command that needs a live release explains how to get one. */
export function liveRelease(ctx: Context, app: string): Release {
  const a = ctx.store.requireApp(app);
  const rel = a.currentRelease === null ? null : ctx.store.getRelease(app, a.currentRelease);
  if (!rel) throw conflict(`${app} has no release yet`, `deploy it first: minik up`);
  return rel;
}
