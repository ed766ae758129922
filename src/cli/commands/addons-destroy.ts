// Why: `minik addons:destroy NAME --confirm APP` deletes an add-on and its data, so it insists, as Heroku does.
import type { AddonView } from '../../core/addons.js';
import { streamAction } from '../addons.js';
import { request } from '../client.js';
import { paletteFor } from '../color.js';
import { defineCommand } from '../command.js';
import { appLabel } from '../format.js';

/** `minik addons:destroy ADDON --confirm APP`. */
export default defineCommand<{ addon: string; confirm?: string }>({
  command: 'addons:destroy <addon>',
  describe: 'destroy an add-on and its data (detaching it everywhere)',
  group: 'Add-ons',
  aliases: ['addons:remove'],
  builder: (y) => y.positional('addon', { type: 'string', demandOption: true, describe: 'e.g. postgresql-shop-1' })
    .option('confirm', { type: 'string', describe: 'the owning app\'s name, to confirm' }),
  handler: async (argv) => {
    const path = `/addons/${encodeURIComponent(String(argv.addon))}`;
    const a = await request<AddonView>('GET', path);
    await streamAction(`Destroying ${a.name} on ${appLabel(a.app, paletteFor(process.stderr))}`, 'DELETE', path, { confirm: argv.confirm });
  },
});
