// Why: `minik addons:attach ADDON -a APP` shares an add-on with another app (its URL under a name of its own).
import { releaseSuffix, streamAction } from '../addons.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { paletteFor } from '../color.js';
import { defineCommand } from '../command.js';
import { appLabel, print } from '../format.js';

/** `minik addons:attach ADDON [--as NAME] -a APP`. */
export default defineCommand<{ app?: string; addon: string; as?: string }>({
  command: 'addons:attach <addon>',
  describe: 'attach an existing add-on to an app',
  group: 'Add-ons',
  builder: (y) => withApp(y).positional('addon', { type: 'string', demandOption: true, describe: 'e.g. postgresql-shop-1' })
    .option('as', { type: 'string', describe: 'attachment name: sets NAME_URL' }),
  handler: async (argv) => {
    const app = await resolveApp(argv);
    const done = await streamAction<{ attachment: string; release?: number | null }>(
      `Attaching ${argv.addon}${argv.as ? ` as ${String(argv.as).toUpperCase()}` : ''} to ${appLabel(app, paletteFor(process.stderr))}`,
      'POST', appPath(app, '/attachments'), { addon: String(argv.addon), as: argv.as }, releaseSuffix);
    print(`Attached ${argv.addon} as ${done.attachment}_URL`);
  },
});
