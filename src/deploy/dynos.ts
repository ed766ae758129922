// Why: turning a release and a dyno name into a running, supervised process, and the queries over
// running dynos that every stage shares (which release serves, which dynos a target names).
import { conflict, invalid, MinikError, notFound } from '../core/errors.js';
import { has } from '../core/dict.js';
import { checkQuantity } from '../core/limits.js';
import { parseDynoName } from '../core/names.js';
import type { Formation, Release } from '../core/types.js';
import { currentCommand } from '../buildpacks/index.js';
import type { Context, DynoHandle } from './context.js';
import { dynoEnv } from './env.js';
import { parseMemory } from './formation.js';

/**
 * Starts one dyno of a release (web dynos get a port and are up once it accepts connections), in the slug,
 * or for a one-off in `opts.cwd`, its throwaway copy of the slug.
 */
export async function startDyno(ctx: Context, rel: Release, name: string, opts: { command?: string; oneOff?: boolean; cwd?: string } = {}): Promise<DynoHandle> {
  const type = name.slice(0, name.lastIndexOf('.'));
  const command = opts.command ?? (has(rel.processTypes, type) ? currentCommand(rel.processTypes[type]!) : undefined);
  if (!command) throw invalid(`release v${rel.version} of ${rel.app} has no process type '${type}'`, `process types: ${Object.keys(rel.processTypes).join(', ')}`);
  if (!rel.slug) throw slugGone(rel);
  if (ctx.closed) throw conflict(`dyno ${name} of ${rel.app} was not started: the minik daemon is shutting down`, "start it again with 'minik daemon start'");
  const port = ctx.supervisor.ports.take(); // given back when the dyno stops
  const cwd = opts.cwd ?? rel.slug;
  try {
    return ctx.supervisor.start({
      app: rel.app,
      name,
      type,
      release: rel.version,
      command,
      cwd,
      env: dynoEnv(process.env, rel, name, port, cwd),
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
  return notFound(`the slug of ${rel.app} v${rel.version} was pruned (minik keeps the last 5 releases that succeeded)`, `deploy again with 'minik up', or roll back to a newer release`);
}

/** The formation dynos (not one-off ones) of an app, optionally of one release, running now. */
export function formationDynos(ctx: Context, app: string, release?: number): DynoHandle[] {
  return ctx.supervisor.list(app).filter((d) => d.spec.restart && (release === undefined || d.spec.release === release));
}

/**
 * The web dynos that take traffic, one per name: of the newest release no newer than the store's current
 * one, and within a release an up dyno over one still booting. Derived, never stored: during a preboot the
 * new dynos wait unrouted until the current release moves (or, on `restart`, until they are up); after
 * `config:set --no-restart` the older dynos keep serving until they are restarted.
 */
export function servingDynos(current: number | null, web: readonly DynoHandle[]): DynoHandle[] {
  if (current === null) return [];
  const best = new Map<string, DynoHandle>();
  for (const d of web) {
    if (d.spec.release > current) continue;
    const had = best.get(d.spec.name);
    if (!had || d.spec.release > had.spec.release || (d.spec.release === had.spec.release && (d.state === 'up' || had.state !== 'up'))) best.set(d.spec.name, d);
  }
  return [...best.values()];
}

/** The running formation dynos a `restart`/`stop` target names: all, a process type ('web') or one dyno ('web.2'). */
export function targetDynos(ctx: Context, app: string, target?: string): DynoHandle[] {
  const all = formationDynos(ctx, app);
  if (!target) return all;
  const found = all.filter((d) => matchesTarget(d.spec.name, target));
  if (found.length === 0) {
    const names = [...new Set(all.map((d) => d.spec.name))].join(', ') || 'none';
    throw notFound(`no running dyno of ${app} matches '${target}'`, `running dynos: ${names}; see 'minik ps'`);
  }
  return found;
}

/** True when a dyno name is the target itself ('web.2') or of the target's type ('web'). */
export function matchesTarget(name: string, target: string): boolean {
  return parseDynoName(target) !== null ? name === target : name.slice(0, name.lastIndexOf('.')) === target;
}

/** Why: scale arguments are checked against the live release before anything changes. */
export function checkScale(rel: Release, changes: Formation): void {
  for (const [type, qty] of Object.entries(changes)) {
    if (type === 'release') throw invalid(`'release' is the release phase, not a process type you can scale`, 'scale web or another type from your Procfile');
    if (!has(rel.processTypes, type)) {
      const types = Object.keys(rel.processTypes).filter((t) => t !== 'release').join(', ');
      throw invalid(`unknown process type '${type}' for ${rel.app}`, `this app's types are: ${types}`);
    }
    checkQuantity(`scale ${type}`, qty, `minik scale ${type}=2`);
  }
}

/** Why: a failure message must be true for the app's state: what serves now, if anything. */
export function servingNote(ctx: Context, app: string): string {
  const current = ctx.store.getApp(app)?.currentRelease ?? null;
  return current === null ? `${app} has no release yet, so nothing serves` : `v${current} keeps serving`;
}

/** Why: a command that needs a live release explains how to get one. */
export function liveRelease(ctx: Context, app: string): Release {
  const a = ctx.store.requireApp(app);
  const rel = a.currentRelease === null ? null : ctx.store.getRelease(app, a.currentRelease);
  if (!rel) throw conflict(`${app} has no release yet`, `deploy it first: minik up`);
  return rel;
}
