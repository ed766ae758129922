// Why: Heroku's platform lines and minik's dyno errors, worded once, so the Dyno reads as behaviour.
import { MinikError } from '../core/errors.js';

const secs = (ms: number) => ms / 1000;

/** Why: the platform lines `minik logs` shows for a dyno, in Heroku's words. */
export const lines = {
  starting: (command: string) => `Starting process with command \`${command}\``,
  state: (from: string, to: string) => `State changed from ${from} to ${to}`,
  sigterm: 'Stopping all processes with SIGTERM',
  exited: (status: number) => `Process exited with status ${status}`,
  r10: (bootMs: number) =>
    `Error R10 (Boot timeout) -> Web process failed to bind to $PORT within ${secs(bootMs)} seconds of launch`,
  r12: (stopMs: number) =>
    `Error R12 (Exit timeout) -> At least one process failed to exit within ${secs(stopMs)} seconds of SIGTERM`,
  sigkillRest: 'Stopping remaining processes with SIGKILL',
  memory: (rss: number, limit: number) =>
    `Process running mem=${Math.round(rss / 1048576)}M(${((rss / limit) * 100).toFixed(1)}%)`,
  r14: 'Error R14 (Memory quota exceeded)',
  r15: 'Error R15 (Memory quota vastly exceeded)',
  sigkill: 'Stopping process with SIGKILL',
};

type Named = { app: string; name: string; port: number | null; bootTimeoutMs: number };

/** Why: waitUp() names the dyno and the deadline it missed (R10). */
export function bootTimeoutError(spec: Named): MinikError {
  const s = secs(spec.bootTimeoutMs);
  return new MinikError(`dyno ${spec.name} of app '${spec.app}' did not bind to port ${spec.port} within ${s} seconds of launch`, {
    code: 'boot_timeout',
    hint: 'the web process must listen on $PORT; see its output with `minik logs`',
  });
}

/** Why: waitUp() tells a crash before 'up' from a deliberate stop. */
export function crashedError(spec: Named, status: number | null): MinikError {
  return new MinikError(`dyno ${spec.name} of app '${spec.app}' exited with status ${status ?? 'unknown'} before it was up`, {
    code: 'crashed',
    hint: 'see its output with `minik logs`',
  });
}

/** Why: see crashedError. */
export function stoppedError(spec: Named): MinikError {
  return new MinikError(`dyno ${spec.name} of app '${spec.app}' was stopped before it was up`, { code: 'stopped' });
}
