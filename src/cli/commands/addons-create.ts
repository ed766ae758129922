// Why: `minik addons:create heroku-postgresql` provisions a local server and attaches it, as Heroku's does.
import { realpathSync } from 'node:fs';
import { parseService, type AddonView } from '../../core/addons.js';
import { releaseSuffix, streamAction } from '../addons.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { paletteFor } from '../color.js';
import { defineCommand } from '../command.js';
import { appLabel, print } from '../format.js';

interface Args { app?: string; service: string; as?: string; name?: string }

/** `minik addons:create SERVICE[:PLAN] [--as NAME] [--name ADDON]`. */
export default defineCommand<Args>({
  command: 'addons:create <service>',
  describe: 'create a local add-on: heroku-postgresql (postgres) or heroku-redis (redis)',
  group: 'Add-ons',
  builder: (y) => withApp(y)
    .positional('service', { type: 'string', demandOption: true, describe: 'heroku-postgresql, postgres, postgresql, heroku-redis or redis' })
    .option('as', { type: 'string', describe: 'attachment name: sets NAME_URL' })
    .option('name', { type: 'string', describe: 'the add-on\'s name (default: postgresql-APP-N)' }),
  handler: async (argv) => {
    const { service } = parseService(String(argv.service));
    const app = await resolveApp(argv);
    const done = await streamAction<{ addon: AddonView; attachments: string[]; release?: number | null; createdApp?: boolean }>(
      `Creating ${service} on ${appLabel(app, paletteFor(process.stderr))}`, 'POST', appPath(app, '/addons'),
      { service: String(argv.service), as: argv.as, name: argv.name, sourceDir: realpathSync(process.cwd()) }, releaseSuffix);
    print(`Created ${done.addon.name} as ${done.attachments[0]}_URL`);
    if (done.createdApp) print(`${app} is a new app with no release yet: deploy it with 'minik up'`);
  },
});
