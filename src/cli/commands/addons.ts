// Why: `minik addons` lists an app's add-ons (or all with --all) with their attachments, as Heroku's does.
import type { AddonView } from '../../core/addons.js';
import { addonTable } from '../addons.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { request } from '../client.js';
import { paletteFor } from '../color.js';
import { defineCommand, withJson } from '../command.js';
import { appLabel, print, printJson } from '../format.js';

/** `minik addons [--all] [--json]`. */
export default defineCommand<{ app?: string; all?: boolean; json?: boolean }>({
  command: 'addons',
  describe: "list the app's add-ons and their attachments",
  group: 'Add-ons',
  builder: (y) => withJson(withApp(y)).option('all', { type: 'boolean', describe: 'every add-on of every app' }),
  handler: async (argv) => {
    const app = argv.all ? undefined : await resolveApp(argv);
    const addons = await request<AddonView[]>('GET', app === undefined ? '/addons' : appPath(app, '/addons'));
    if (argv.json) return printJson(addons);
    const p = paletteFor(process.stdout);
    if (addons.length === 0) {
      return print(app === undefined ? 'No add-ons.' : `No add-ons for app ${appLabel(app, p)}. Create one with 'minik addons:create heroku-postgresql'.`);
    }
    print(addonTable(addons, p, { app, owner: app === undefined }));
  },
});
