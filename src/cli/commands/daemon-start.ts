// Why: `minik daemon start` starts the daemon ahead of time (any other command would start it on demand).
import { pingDaemon, startDaemon } from '../autostart.js';
import { defineCommand, withJson } from '../command.js';
import { print, printJson } from '../format.js';
import { socketPath } from '../paths.js';

/** `minik daemon start [--json]`. */
export default defineCommand<{ json?: boolean }>({
  command: 'start',
  describe: 'start the daemon if it is not running',
  group: 'Daemon',
  builder: (y) => withJson(y),
  handler: async (argv) => {
    const running = await pingDaemon(socketPath());
    const info = running ?? (await startDaemon());
    if (argv.json) return printJson({ running: true, ...info });
    const verb = running ? 'minik daemon is already running' : 'Started minik daemon';
    print(`${verb} (pid ${info.pid}), routing http://*.localhost:${info.port}`);
  },
});
