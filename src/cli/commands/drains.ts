// Why: `minik drains` lists where the app's logs are shipped, with each drain's Logplex-Drain-Token.
import type { Drain } from '../../core/metrics.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { request } from '../client.js';
import { paletteFor } from '../color.js';
import { defineCommand, withJson } from '../command.js';
import { appLabel, print, printJson, section } from '../format.js';

/** `minik drains [--json]`. */
export default defineCommand<{ app?: string; json?: boolean }>({
  command: 'drains',
  describe: "list the app's log drains",
  group: 'Logs',
  builder: (y) => withJson(withApp(y)),
  handler: async (argv) => {
    const app = await resolveApp(argv);
    const drains = await request<Drain[]>('GET', appPath(app, '/drains'));
    if (argv.json) return printJson(drains);
    const p = paletteFor(process.stdout);
    if (drains.length === 0) return print(`${appLabel(app, p)} has no drains. Add one with 'minik drains:add URL'.`);
    print(section(`${appLabel(app, p)} Drains`, p));
    const width = Math.max(...drains.map((d) => d.url.length));
    for (const d of drains) print(`${d.url.padEnd(width)}  (${d.token})`);
  },
});
