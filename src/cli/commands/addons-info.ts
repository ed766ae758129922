// Why: `minik addons:info NAME` shows one add-on: plan, state, port, attachments, version.
import type { AddonView } from '../../core/addons.js';
import { addonState } from '../addons.js';
import { request } from '../client.js';
import { paletteFor } from '../color.js';
import { defineCommand, withJson } from '../command.js';
import { isoWithAgo, keyValues, print, printJson, section } from '../format.js';

/** `minik addons:info ADDON [--json]`. */
export default defineCommand<{ addon: string; json?: boolean }>({
  command: 'addons:info <addon>',
  describe: 'show an add-on',
  group: 'Add-ons',
  builder: (y) => withJson(y).positional('addon', { type: 'string', demandOption: true, describe: 'e.g. postgresql-shop-1' }),
  handler: async (argv) => {
    const a = await request<AddonView>('GET', `/addons/${encodeURIComponent(String(argv.addon))}`);
    if (argv.json) return printJson(a);
    const p = paletteFor(process.stdout);
    print(section(a.name, p));
    print(keyValues([
      ['Attachments', a.attachments.map((x) => `${x.app}::${x.name}`).join('\n')],
      ['Installed at', isoWithAgo(a.createdAt)],
      ['Owning app', a.app],
      ['Plan', a.plan],
      ['Port', a.port],
      ['State', addonState(a, p)],
      ...(a.version ? [['Version', `PostgreSQL ${a.version}`] as [string, string]] : []),
    ], p));
  },
});
