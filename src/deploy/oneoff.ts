// Why: one-off dynos (run.N, postdeploy) share numbering and cleanup.
import type { Release } from '../core/types.js';
import type { Context } from './context.js';
import { dynoEnv } from './env.js';
import { slugGone, startDyno } from './dynos.js';
import { runToEnd } from './release.js';

const counters = new Map<string, number>();

/** The next free run.N name for an app. */
export function nextRunName(ctx: Context, app: string): string {
  const taken = new Set(ctx.supervisor.list(app).map((d) => d.spec.name));
  let n = counters.get(app) ?? 0;
  do n++; while (taken.has(`run.${n}`));
  counters.set(app, n);
  return `run.${n}`;
}

/** Runs a command as a one-off dyno to its end (within MINIK_RELEASE_TIMEOUT), handing each output line to onLine. */
export function runOneOff(ctx: Context, rel: Release, command: string, onLine: (line: string) => void): Promise<number | 'timeout'> {
  return runToEnd(ctx, rel, nextRunName(ctx, rel.app), command, onLine);
}

/** `minik run --detach`: starts the one-off and returns at once; its output goes to the logs. */
export async function runDetached(ctx: Context, rel: Release, command: string): Promise<{ name: string; pid: number | null }> {
  const name = nextRunName(ctx, rel.app);
  const dyno = await startDyno(ctx, rel, name, { command, oneOff: true });
  void dyno.waitExit().then(() => ctx.supervisor.stop(dyno));
  return { name, pid: dyno.pid };
}

/**
 * `minik run` attached: what the CLI needs to run the command itself, in the release's slug and environment.
 * It carries no ownership marker: the user's terminal owns it, and a daemon restart must not reap it.
 * Its PORT comes from the dyno range but is not reserved, as nothing here learns when it ends.
 */
export async function runSpec(ctx: Context, rel: Release, command: string): Promise<{ name: string; cwd: string; env: Record<string, string>; command: string }> {
  if (!rel.slug) throw slugGone(rel);
  const name = nextRunName(ctx, rel.app);
  const port = ctx.supervisor.ports.take();
  ctx.supervisor.ports.release(port);
  return { name, cwd: rel.slug, env: dynoEnv(process.env, rel, name, port), command };
}
