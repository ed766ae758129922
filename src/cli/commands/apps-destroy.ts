// Why: `minik apps:destroy` removes an app for good, so it insists on --confirm NAME, as Heroku does.
import { MinikError } from '../../core/errors.js';
import { validateAppName } from '../../core/names.js';
import { withAction } from '../action.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { request } from '../client.js';
import { paletteFor } from '../color.js';
import { defineCommand } from '../command.js';
import type { AddonView } from '../../core/addons.js';
import { appLabel, print } from '../format.js';

interface Args { name?: string; app?: string; confirm?: string }

/** `minik apps:destroy NAME --confirm NAME`. */
export default defineCommand<Args>({
  command: 'apps:destroy [name]',
  describe: 'stop and delete an app, its releases and logs',
  group: 'Apps',
  aliases: ['destroy'],
  builder: (y) => withApp(y)
    .positional('name', { type: 'string', describe: 'app to destroy' })
    .option('confirm', { type: 'string', describe: 'the app name again, to confirm' }),
  handler: async (argv) => {
    const app = argv.name !== undefined ? validateAppName(String(argv.name)) : await resolveApp(argv);
    if (argv.confirm !== app) {
      throw new MinikError(`this destroys app '${app}' and its releases`, {
        hint: `run 'minik apps:destroy ${app} --confirm ${app}'`, code: 'confirm',
      });
    }
    // Its add-ons go with it, unless another app uses them too (then they stay, owned by that app).
    const addons = await request<AddonView[]>('GET', appPath(app, '/addons'));
    let destroyed = 0;
    for (const a of addons) {
      const others = [...new Set(a.attachments.filter((x) => x.app !== app).map((x) => x.app))];
      if (others.length === 0) destroyed++;
      print(others.length ? `Keeping ${a.name}: it is attached to ${others.join(', ')}` : `Destroying ${a.name} (${a.service}) with ${app}`);
    }
    await withAction(`Destroying ${appLabel(app, paletteFor(process.stderr))} (including all releases${destroyed ? ' and add-ons' : ''})`,
      () => request('DELETE', appPath(app)));
  },
});
