// Why: `minik daemon status` tells whether the daemon runs, where, and for how long; exit 1 when it does not.
import { pingDaemon } from '../autostart.js';
import { daemonNotRunning } from '../client.js';
import { paletteFor } from '../color.js';
import { defineCommand, withJson } from '../command.js';
import { formatDuration, keyValues, print, printJson, section } from '../format.js';
import { socketPath } from '../paths.js';
import { cliVersion } from '../version.js';

/** `minik daemon status [--json]`. */
export default defineCommand<{ json?: boolean }>({
  command: 'status',
  describe: "show the daemon's pid, version, socket, port and uptime",
  group: 'Daemon',
  builder: (y) => withJson(y),
  handler: async (argv) => {
    const info = await pingDaemon(socketPath());
    if (!info) {
      if (!argv.json) throw daemonNotRunning();
      printJson({ running: false });
      process.exitCode = 1;
      return;
    }
    if (argv.json) return printJson({ running: true, ...info });
    const p = paletteFor(process.stdout);
    const mine = cliVersion();
    const version = info.version === mine ? info.version : `${info.version} ${p.yellow(`(the CLI is ${mine}; 'minik daemon stop' to restart it)`)}`;
    print(section('minik daemon', p));
    print(keyValues([
      ['Status', p.green('running')], ['Pid', info.pid], ['Version', version], ['Socket', info.socket],
      ['Router', `http://*.localhost:${info.port}`], ['Home', info.home], ['Uptime', formatDuration(info.uptime)],
    ], p));
  },
});
