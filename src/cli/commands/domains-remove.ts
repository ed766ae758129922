// Why: `minik domains:remove HOST` stops routing a custom hostname to the app.
import { withAction } from '../action.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { validateHost } from '../args.js';
import { request } from '../client.js';
import { paletteFor } from '../color.js';
import { defineCommand } from '../command.js';
import { appLabel } from '../format.js';

/** `minik domains:remove HOST`. */
export default defineCommand<{ app?: string; host: string }>({
  command: 'domains:remove <host>',
  describe: 'stop routing a hostname to the app',
  group: 'Routing',
  builder: (y) => withApp(y).positional('host', { type: 'string', demandOption: true, describe: 'a custom domain of the app' }),
  handler: async (argv) => {
    const host = validateHost(String(argv.host));
    const app = await resolveApp(argv);
    const label = `Removing ${host} from ${appLabel(app, paletteFor(process.stderr))}`;
    await withAction(label, () => request('DELETE', appPath(app, `/domains/${encodeURIComponent(host)}`)));
  },
});
