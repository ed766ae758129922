// Why: `minik domains:add HOST` routes another hostname to the app (e.g. api.myapp.localhost).
import { withAction } from '../action.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { validateHost } from '../args.js';
import { request } from '../client.js';
import { paletteFor } from '../color.js';
import { defineCommand } from '../command.js';
import { appLabel } from '../format.js';

/** `minik domains:add HOST`. */
export default defineCommand<{ app?: string; host: string }>({
  command: 'domains:add <host>',
  describe: 'route a hostname to the app',
  group: 'Routing',
  builder: (y) => withApp(y).positional('host', { type: 'string', demandOption: true, describe: 'e.g. api.myapp.localhost' }),
  handler: async (argv) => {
    const host = validateHost(String(argv.host));
    const app = await resolveApp(argv);
    await withAction(`Adding ${host} to ${appLabel(app, paletteFor(process.stderr))}`, () => request('POST', appPath(app, '/domains'), { host }));
  },
});
