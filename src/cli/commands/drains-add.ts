// Why: `minik drains:add URL` ships the app's logs to an HTTPS (logplex) or syslog:// endpoint.
import type { Drain } from '../../core/metrics.js';
import { withAction } from '../action.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { request } from '../client.js';
import { paletteFor } from '../color.js';
import { defineCommand } from '../command.js';
import { appLabel } from '../format.js';

/** `minik drains:add URL`. */
export default defineCommand<{ app?: string; url: string }>({
  command: 'drains:add <url>',
  describe: "ship the app's logs to an http(s):// or syslog:// URL",
  group: 'Logs',
  builder: (y) => withApp(y).positional('url', { type: 'string', demandOption: true, describe: 'https://host/path or syslog://host:port' }),
  handler: async (argv) => {
    const app = await resolveApp(argv);
    await withAction(`Adding drain ${argv.url} to ${appLabel(app, paletteFor(process.stderr))}`,
      () => request<Drain>('POST', appPath(app, '/drains'), { url: String(argv.url) }), (d) => ` (token ${d.token})`);
  },
});
