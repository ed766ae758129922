// Why: `minik redis:info` shows the app's Redis: version, clients, memory, keys, persistence.
import { appPath, resolveApp, withApp } from '../app.js';
import { request } from '../client.js';
import { paletteFor } from '../color.js';
import { defineCommand, withJson } from '../command.js';
import { keyValues, print, printJson, section } from '../format.js';

/** `minik redis:info [DATABASE] [--json]`. */
export default defineCommand<{ app?: string; database?: string; json?: boolean }>({
  command: 'redis:info [database]',
  describe: 'show a Redis (default REDIS)',
  group: 'Add-ons',
  builder: (y) => withJson(withApp(y)).positional('database', { type: 'string', describe: 'attachment or add-on name (default: REDIS)' }),
  handler: async (argv) => {
    const app = await resolveApp(argv);
    const db = String(argv.database ?? 'REDIS');
    const info = await request<Record<string, string>>('GET', appPath(app, `/redis/${encodeURIComponent(db)}`));
    if (argv.json) return printJson(info);
    const p = paletteFor(process.stdout);
    print(section(`${info.addon} (${db.toUpperCase().replace(/_URL$/, '')}_URL)`, p));
    print(keyValues([['Version', info.version], ['Clients', info.clients], ['Memory', info.memory], ['Keys', info.keys],
      ['Persistence', info.persistence], ['Uptime', `${info.uptime} s`]], p));
  },
});
