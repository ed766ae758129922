// Why: `minik maintenance` tells whether the router answers H80 for the app instead of proxying.
import type { AppInfo } from '../../core/api.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { request } from '../client.js';
import { defineCommand, withJson } from '../command.js';
import { print, printJson } from '../format.js';

/** `minik maintenance [--json]`: prints on or off. */
export default defineCommand<{ app?: string; json?: boolean }>({
  command: 'maintenance',
  describe: 'show whether maintenance mode is on',
  group: 'Routing',
  builder: (y) => withJson(withApp(y)),
  handler: async (argv) => {
    const app = await resolveApp(argv);
    const info = await request<AppInfo>('GET', appPath(app));
    if (argv.json) return printJson({ maintenance: info.maintenance });
    print(info.maintenance ? 'on' : 'off');
  },
});
