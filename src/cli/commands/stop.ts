// Why: `minik stop [web|web.1]` stops dynos until the next restart, scale or deploy, like `heroku ps:stop`.
import { withAction } from '../action.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { parseTarget } from '../args.js';
import { request } from '../client.js';
import { paletteFor } from '../color.js';
import { defineCommand } from '../command.js';
import { appLabel } from '../format.js';
import { targetLabel } from './restart.js';

/** `minik stop [TARGET]`. */
export default defineCommand<{ app?: string; target?: string }>({
  command: 'stop [target]',
  describe: 'stop dynos until the next restart, scale or deploy',
  group: 'Dynos',
  aliases: ['ps:stop'],
  builder: (y) => withApp(y).positional('target', { type: 'string', describe: 'process type (web) or dyno (web.1)' }),
  handler: async (argv) => {
    const target = argv.target === undefined ? undefined : parseTarget(String(argv.target));
    const app = await resolveApp(argv);
    const label = `Stopping ${targetLabel(target)} on ${appLabel(app, paletteFor(process.stderr))}`;
    await withAction(label, () => request('POST', appPath(app, '/stop'), target ? { target } : {}));
  },
});
