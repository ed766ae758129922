// Why: an attached `minik run` runs the one-off dyno in the user's terminal, so stdin, Ctrl-C and the
// exit code behave as if the command ran here.
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { constants } from 'node:os';
import { MinikError } from '../core/errors.js';

/**
 * What `POST /apps/:app/run {detach:false}` answers: how to run the one-off dyno. `script` is the command
 * wrapped as the supervisor wraps a dyno's (sources .profile.d and .profile); `scratch` is the throwaway
 * copy of the slug (holding `cwd`) to delete when the command ends.
 */
export interface AttachSpec { name: string; cwd: string; env: Record<string, string>; command: string; script?: string; scratch?: string }

/** The exit code a shell reports for a process killed by `signal`: 128 + its number. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}

/**
 * Runs `/bin/sh -c script` with the dyno's cwd and env, deletes its copy of the slug, and resolves with its
 * exit code. On a TTY the child shares the foreground process group, so Ctrl-C reaches it directly (and
 * `minik run bash` is an interactive shell); otherwise it leads its own group and SIGINT/SIGTERM are
 * forwarded to that group.
 */
export function runAttached(spec: AttachSpec, foreground = process.stdin.isTTY === true): Promise<number> {
  const env = { ...spec.env, ...(spec.env.TERM || !process.env.TERM ? {} : { TERM: process.env.TERM }) };
  const child = spawn('/bin/sh', ['-c', spec.script ?? spec.command], { cwd: spec.cwd, env, stdio: 'inherit', detached: !foreground });
  const forward = (signal: NodeJS.Signals) => {
    if (child.pid === undefined || child.exitCode !== null) return;
    if (foreground && signal === 'SIGINT') return; // the terminal already sent it to the child
    try {
      if (foreground) child.kill(signal);
      else process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  signals.forEach((s) => process.on(s, forward));
  const cleanup = async () => {
    signals.forEach((s) => process.removeListener(s, forward));
    if (spec.scratch) await rm(spec.scratch, { recursive: true, force: true }).catch(() => undefined);
  };
  return new Promise((resolve, reject) => {
    child.once('error', (err) => {
      void cleanup().then(() => reject(new MinikError(`cannot run ${spec.name} in ${spec.cwd}: ${err.message}`, { hint: "redeploy with 'minik up' and retry" })));
    });
    child.once('exit', (code, signal) => {
      void cleanup().then(() => resolve(code ?? (signal ? signalExitCode(signal) : 1)));
    });
  });
}
