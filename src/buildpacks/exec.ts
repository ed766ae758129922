// Why: every build step runs the same way — execa with an argument list (never a shell), in a process
// group of its own and carrying an ownership marker, output streamed line by line into the build log,
// one clear error when the step fails, and nothing of it left running once it ended or was canceled.
import { execa, type Options } from 'execa';
import { baseEnv, withNodeDir } from '../core/env.js';
import { MinikError } from '../core/errors.js';
import { newMarker, OWNER_VAR, terminateGroup } from '../supervisor/index.js';
import { INDENT } from './util.js';
import type { BuildContext } from './types.js';

/** How a build step runs: its folder and its complete environment (see buildEnv). */
export interface StepOptions {
  cwd: string;
  env: Record<string, string>;
  /** The name in messages; defaults to the command line. */
  label?: string;
}

/** How long a step's leftovers (a server a postinstall started, a canceled npm) get between SIGTERM and SIGKILL. */
const LEFTOVER_GRACE_MS = 2000;
/** How many times minik looks for what still holds a finished step's output, and how long it waits in between. */
const REAP_PASSES = 5;
const REAP_AGAIN_MS = 200;

/** Why: builds start from the same allow-listed base as dynos, plus `extra` (config vars, tool settings). */
export function buildEnv(extra: Record<string, string>): Record<string, string> {
  const env = { ...baseEnv(), ...extra };
  env.PATH = withNodeDir(env.PATH ?? '');
  delete env[OWNER_VAR]; // each step gets its own below
  return env;
}

/**
 * Starts one step: detached (its own process group) with a fresh marker (kind=build), so cancel, the
 * step's end and a restarted daemon's reapOwned() all find every process it started. The returned
 * `done` resolves once the step's leftovers are gone.
 */
function startStep(ctx: BuildContext, file: string, args: string[], opts: StepOptions, extra: Options) {
  const marker = newMarker({ home: ctx.home, kind: 'build', app: ctx.app, name: ctx.id ?? 'build' });
  const sub = execa(file, args, {
    cwd: opts.cwd,
    env: { ...opts.env, [OWNER_VAR]: marker },
    extendEnv: false,
    preferLocal: false,
    stdin: 'ignore',
    detached: true,
    reject: false,
    ...extra,
  });
  let reaping: Promise<void> | null = null;
  let settled = false;
  // execa settles once the process exited and its output pipes closed.
  const settling = sub.then(() => {}, () => {}).then(() => { settled = true; });
  // Once the step exits (or is canceled), anything it left holding its output pipes would keep the build waiting: stop
  // the whole group and every process with the marker. Why a few passes, each ended early by the pipes closing: a
  // stopped process's pipe closes a moment after it is gone. Why no more: what holds the pipe and is found neither by
  // the group nor by the marker (it cleared its environment) is not ours to find; the build stops waiting for its
  // output and says so.
  const reapUntilSettled = async () => {
    for (let pass = 1; ; pass++) {
      await terminateGroup({ pid: sub.pid ?? 0, pgid: sub.pid ?? 0, marker, graceMs: LEFTOVER_GRACE_MS }).catch(() => {});
      if (settled) return;
      if (pass === REAP_PASSES) break;
      await settledOr(settling, REAP_AGAIN_MS);
      if (settled) return;
    }
    for (const stream of [sub.stdout, sub.stderr, sub.all]) stream?.destroy();
    ctx.log(` !     Warning: '${opts.label ?? [file, ...args].join(' ')}' ended, but a process it started still holds its output and minik could not find it to stop it; the build goes on without waiting for it.`);
    ctx.log(' !     A process that clears or rewrites its environment (env -i, setproctitle) loses MINIK_OWNER: find it with `ps -ef` and stop it.');
  };
  const reap = () => (reaping ??= reapUntilSettled());
  sub.once('exit', reap);
  const onAbort = () => void reap();
  ctx.signal?.addEventListener('abort', onAbort, { once: true });
  const done = async () => {
    ctx.signal?.removeEventListener('abort', onAbort);
    await reap();
  };
  return { sub, done };
}

/** Runs one build step, logging each output line indented; throws MinikError 'build_failed' on failure. */
export async function runStep(ctx: BuildContext, file: string, args: string[], opts: StepOptions): Promise<void> {
  const label = opts.label ?? [file, ...args].join(' ');
  const { sub, done } = startStep(ctx, file, args, opts, { all: true, buffer: false, cancelSignal: ctx.signal });
  try {
    for await (const chunk of sub.iterable({ from: 'all' })) {
      const line = String(chunk);
      if (line.trim() !== '') ctx.log(INDENT + line);
    }
  } catch {
    // The result below says why the output ended.
  }
  const result = await sub;
  await done();
  if (!result.failed) return;
  if (result.isCanceled) throw new MinikError(`build canceled during '${label}'`, { code: 'build_failed' });
  throw new MinikError(`build failed: '${label}' ${failureReason(result)}`, {
    code: 'build_failed',
    hint: result.code === 'ENOENT'
      ? `install ${file} or put it on the PATH of the minik daemon, then run minik up again`
      : 'see the output above; fix it and run minik up again',
  });
}

/** Runs a short probe (`python3 --version`) the same owned way; its output is returned, not logged. */
export async function probeStep(ctx: BuildContext, file: string, args: string[], opts: StepOptions): Promise<{ failed: boolean; stdout: string; stderr: string; code?: string }> {
  const { sub, done } = startStep(ctx, file, args, opts, { cancelSignal: ctx.signal });
  const r = await sub;
  await done();
  return { failed: r.failed, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), code: r.code };
}

/** Resolves once `p` settled or after `ms`, whichever comes first; the timer does not outlive it. */
async function settledOr(p: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

function failureReason(r: { exitCode?: number; signal?: string; code?: string }): string {
  if (r.code === 'ENOENT') return 'could not start: command not found';
  if (r.exitCode !== undefined) return `exited with status ${r.exitCode}`;
  if (r.signal) return `was killed by ${r.signal}`;
  return `could not run${r.code ? ` (${r.code})` : ''}`;
}
