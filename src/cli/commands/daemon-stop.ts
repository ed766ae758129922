// Why: `minik daemon stop` stops every dyno and the daemon, and returns only once both are gone.
import { MinikError } from '../../core/errors.js';
import { pingDaemon } from '../autostart.js';
import { request } from '../client.js';
import { defineCommand } from '../command.js';
import { print } from '../format.js';
import { daemonLogPath, socketPath } from '../paths.js';

/** Dynos get 30 s after SIGTERM (R12); the daemon gets 10 s more to exit. */
export const STOP_WAIT_MS = 30_000 + 10_000;

/** True while a process with this pid exists. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Polls until the pid is gone and the socket no longer answers. */
async function waitStopped(pid: number, socket: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!pidAlive(pid) && !(await pingDaemon(socket).catch(() => null))) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/** `minik daemon stop`. */
export default defineCommand<Record<string, never>>({
  command: 'stop',
  describe: 'stop every dyno and the daemon',
  group: 'Daemon',
  handler: async () => {
    const socket = socketPath();
    const info = await pingDaemon(socket);
    if (!info) return print('minik daemon is not running');
    await request('POST', '/daemon/stop', undefined, { autoStart: false }).catch((err: unknown) => {
      if (!(err instanceof MinikError && err.code === 'daemon_down')) throw err;
    });
    if (!(await waitStopped(info.pid, socket, STOP_WAIT_MS))) {
      throw new MinikError(`the minik daemon (pid ${info.pid}) did not exit within ${STOP_WAIT_MS / 1000}s`, {
        hint: `see ${daemonLogPath()}; 'kill ${info.pid}' stops it for good`,
      });
    }
    print(`Stopped minik daemon (pid ${info.pid})`);
  },
});
