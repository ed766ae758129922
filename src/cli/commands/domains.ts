// Why: `minik domains` lists the hosts the router sends to the app: NAME.localhost plus custom domains.
import { appPath, resolveApp, withApp } from '../app.js';
import { request } from '../client.js';
import { paletteFor } from '../color.js';
import { defineCommand, withJson } from '../command.js';
import { appLabel, print, printJson, section } from '../format.js';

/** `minik domains [--json]`. */
export default defineCommand<{ app?: string; json?: boolean }>({
  command: 'domains',
  describe: "list the app's hostnames",
  group: 'Routing',
  builder: (y) => withJson(withApp(y)),
  handler: async (argv) => {
    const app = await resolveApp(argv);
    const domains = await request<Array<{ host: string }>>('GET', appPath(app, '/domains'));
    if (argv.json) return printJson(domains);
    const p = paletteFor(process.stdout);
    print(section(`${appLabel(app, p)} minik Domain`, p));
    print(`${app}.localhost`);
    if (domains.length === 0) return;
    print();
    print(section(`${appLabel(app, p)} Custom Domains`, p));
    print(domains.map((d) => d.host).join('\n'));
  },
});
