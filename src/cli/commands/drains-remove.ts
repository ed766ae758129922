// Why: `minik drains:remove URL` stops shipping logs there.
import { withAction } from '../action.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { request } from '../client.js';
import { paletteFor } from '../color.js';
import { defineCommand } from '../command.js';
import { appLabel } from '../format.js';

/** `minik drains:remove URL`. */
export default defineCommand<{ app?: string; url: string }>({
  command: 'drains:remove <url>',
  describe: 'remove a log drain',
  group: 'Logs',
  builder: (y) => withApp(y).positional('url', { type: 'string', demandOption: true, describe: 'the URL as listed by minik drains' }),
  handler: async (argv) => {
    const app = await resolveApp(argv);
    await withAction(`Removing drain ${argv.url} from ${appLabel(app, paletteFor(process.stderr))}`,
      () => request('DELETE', appPath(app, `/drains/${encodeURIComponent(String(argv.url))}`)));
  },
});
