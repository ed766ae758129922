// Why: one way to bring an app's dynos to a release and a formation. Deploys, config changes, rollbacks,
// scale and restart all converge through it, so the store's current release stays the only record of
// what serves: new web dynos boot beside the old ones (preboot), `commit` moves the store, the router
// follows, and only then do the old dynos retire.
import { MinikError } from '../core/errors.js';
import type { Formation, Release } from '../core/types.js';
import type { Context, DynoHandle, Output } from './context.js';
import { formationDynos, startDyno } from './dynos.js';
import { wantedDynos } from './formation.js';
import { runHealthchecks, type Healthcheck } from './healthchecks.js';

export interface RolloutOptions {
  /** Records the switch in the store (one transaction); runs once the new web dynos are up. */
  commit(): void;
  /**
   * Deploys: every new web dyno must come up, or they are all stopped, nothing is committed and the
   * error is thrown. Otherwise (scale, restart) this holds only when web dynos are being replaced; new
   * dynos with nothing to replace stay and crash-loop with back-off, as the formation asks.
   */
  atomic: boolean;
  /** Replace the dynos in scope even though they already run this release (`restart`). */
  replace?: boolean;
  /** Only dyno names for which this is true are started, kept or retired (`restart web.2`); default: all. */
  scope?: (name: string) => boolean;
  /** app.json's web healthchecks, run on the new web dynos after they are up and before `commit`. */
  checks?: readonly Healthcheck[];
  out?: Output;
}

/** Converges; returns the failures of dynos that did not come up after the switch (empty when all did). */
export async function rollout(ctx: Context, rel: Release, formation: Formation, opts: RolloutOptions): Promise<Error[]> {
  const inScope = opts.scope ?? (() => true);
  const wanted = wantedDynos(formation, rel.processTypes).filter(inScope);
  const running = formationDynos(ctx, rel.app).filter((d) => inScope(d.spec.name));
  const kept = new Map<string, DynoHandle>();
  for (const d of running) {
    if (d.spec.release === rel.version && wanted.includes(d.spec.name) && !opts.replace && !kept.has(d.spec.name)) kept.set(d.spec.name, d);
  }
  const keptSet = new Set(kept.values());
  const retire = running.filter((d) => !keptSet.has(d));
  const toStart = wanted.filter((n) => !kept.has(n));
  const webStart = toStart.filter(isWeb);
  const otherStart = toStart.filter((n) => !isWeb(n));

  if (webStart.length > 0) opts.out?.log(`-----> Starting ${plural(webStart.length, 'web dyno')} of v${rel.version}`);
  const web = await startAll(ctx, rel, webStart);
  const preboot = opts.atomic || retire.some((d) => isWeb(d.spec.name));
  if (preboot && web.errors.length > 0) {
    await Promise.all(web.dynos.map((d) => ctx.supervisor.stop(d)));
    throw web.errors[0]!;
  }
  if (web.dynos.length > 0 && opts.checks?.length) {
    try {
      await runHealthchecks(web.dynos, opts.checks, `${rel.app}.localhost`, opts.out);
    } catch (err) {
      await Promise.all(web.dynos.map((d) => ctx.supervisor.stop(d)));
      throw err;
    }
  }
  opts.commit();
  ctx.syncRoutes();

  await Promise.all(retire.filter((d) => !isWeb(d.spec.name)).map((d) => ctx.supervisor.stop(d)));
  const oldWeb = Promise.all(retire.filter((d) => isWeb(d.spec.name)).map((d) => ctx.supervisor.stop(d)));
  if (otherStart.length > 0) opts.out?.log(`-----> Starting ${otherStart.join(', ')}`);
  const others = await startAll(ctx, rel, otherStart);
  await oldWeb;
  // Read the sockets in use now, off the event loop and after the swap: the next rollout's ports cost nothing.
  void ctx.supervisor.ports.refresh();
  return [...web.errors, ...others.errors];
}

/** Starts each dyno and waits until all are up or failed; a dyno that cannot even start is an error too. */
async function startAll(ctx: Context, rel: Release, names: string[]): Promise<{ dynos: DynoHandle[]; errors: Error[] }> {
  const dynos: DynoHandle[] = [];
  const errors: Error[] = [];
  for (const name of names) {
    try {
      dynos.push(await startDyno(ctx, rel, name));
    } catch (err) {
      errors.push(err as Error);
    }
  }
  for (const r of await Promise.allSettled(dynos.map((d) => d.waitUp()))) if (r.status === 'rejected') errors.push(r.reason as Error);
  return { dynos, errors };
}

/** Why: a failure after the switch still fails the command: the user learns which dyno and where to look. */
export function lateFailure(errors: Error[], prefix: string): MinikError | null {
  const first = errors[0];
  if (!first) return null;
  const dyno = /dyno (\S+)/.exec(first.message)?.[1] ?? 'TYPE';
  return new MinikError(`${prefix}${first.message}`, {
    hint: `minik keeps restarting it with backoff; see 'minik logs --ps ${dyno}' and 'minik ps'`,
    code: first instanceof MinikError ? first.code : 'boot_failed',
  });
}

function isWeb(name: string): boolean {
  return name.startsWith('web.');
}

/** "1 web dyno", "3 web dynos". */
function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
