// Why: one-off dynos (run.N, postdeploy) share numbering, command lookup and cleanup. Each runs in a
// throwaway copy of the slug (scratch.ts), with HOME and cwd there and the environment of a dyno.
import { has } from '../core/dict.js';
import type { Release } from '../core/types.js';
import { currentCommand } from '../buildpacks/index.js';
import { wrapCommand } from '../supervisor/index.js';
import type { Context } from './context.js';
import { dynoEnv } from './env.js';
import { slugGone, startDyno } from './dynos.js';
import { runToEnd } from './release.js';
import { copySlug, removeScratch, sweepScratch } from './scratch.js';

const counters = new Map<string, number>();

/** The next free run.N name for an app. */
export function nextRunName(ctx: Context, app: string): string {
  const taken = new Set(ctx.supervisor.list(app).map((d) => d.spec.name));
  let n = counters.get(app) ?? 0;
  do n++; while (taken.has(`run.${n}`));
  counters.set(app, n);
  return `run.${n}`;
}

/** `minik run worker` runs the worker's Procfile command, as Dokku does; any other command runs as given. */
export function oneOffCommand(processTypes: Release['processTypes'], command: string): string {
  const word = command.trim();
  return has(processTypes, word) ? currentCommand(processTypes[word]!) : command;
}

/** Runs a command as a one-off dyno to its end (within MINIK_RELEASE_TIMEOUT), handing each output line to onLine. */
export function runOneOff(ctx: Context, rel: Release, command: string, onLine: (line: string) => void): Promise<number | 'timeout'> {
  return runToEnd(ctx, rel, nextRunName(ctx, rel.app), command, onLine);
}

/** `minik run --detach`: starts the one-off and returns at once; its output goes to the logs, its copy goes when it ends. */
export async function runDetached(ctx: Context, rel: Release, command: string): Promise<{ name: string; pid: number | null }> {
  if (!rel.slug) throw slugGone(rel);
  const name = nextRunName(ctx, rel.app);
  const scratch = await copySlug(ctx.settings.home, rel.app, name, rel.slug);
  try {
    const dyno = await startDyno(ctx, rel, name, { command: oneOffCommand(rel.processTypes, command), oneOff: true, cwd: scratch.slug });
    void dyno.waitExit().then(() => ctx.supervisor.stop(dyno)).catch(() => undefined).finally(() => removeScratch(scratch));
    return { name, pid: dyno.pid };
  } catch (err) {
    await removeScratch(scratch);
    throw err;
  }
}

/** What an attached `minik run` needs; the CLI runs `/bin/sh -c script` in `cwd` with `env`, then deletes `scratch`. */
export interface RunSpec { name: string; cwd: string; env: Record<string, string>; command: string; script: string; scratch: string }

/**
 * `minik run` attached: what the CLI needs to run the command itself, in a copy of the release's slug and the
 * environment of a dyno, through the supervisor's wrapper (.profile.d and .profile sourced, a simple command
 * exec'ed). It carries no ownership marker: the user's terminal owns it, and a daemon restart must not reap
 * it; its copy belongs to the CLI's process `cliPid` and is swept once that is gone. Its PORT comes from the
 * dyno range but is not reserved, as nothing here learns when it ends.
 */
export async function runSpec(ctx: Context, rel: Release, command: string, cliPid?: number): Promise<RunSpec> {
  if (!rel.slug) throw slugGone(rel);
  await sweepScratch(ctx.settings.home, rel.app);
  const name = nextRunName(ctx, rel.app);
  const scratch = await copySlug(ctx.settings.home, rel.app, name, rel.slug, cliPid);
  const port = ctx.supervisor.ports.take();
  ctx.supervisor.ports.release(port);
  const resolved = oneOffCommand(rel.processTypes, command);
  return {
    name, cwd: scratch.slug, env: dynoEnv(process.env, rel, name, port, scratch.slug), command: resolved,
    script: wrapCommand(scratch.slug, resolved), scratch: scratch.dir,
  };
}
