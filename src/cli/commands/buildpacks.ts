// Why: `minik buildpacks` lists the app's buildpacks, in the order they run (like `heroku buildpacks`).
import { appPath, resolveApp, withApp } from '../app.js';
import type { BuildpackEntry } from '../buildpacks.js';
import { request } from '../client.js';
import { paletteFor } from '../color.js';
import { defineCommand, withJson } from '../command.js';
import { appLabel, print, printJson, section } from '../format.js';

/** `minik buildpacks [--json]`. */
export default defineCommand<{ app?: string; json?: boolean }>({
  command: 'buildpacks',
  describe: "list the app's buildpacks (empty: detected at each deploy)",
  group: 'Apps',
  builder: (y) => withJson(withApp(y)),
  handler: async (argv) => {
    const app = await resolveApp(argv);
    const list = await request<BuildpackEntry[]>('GET', appPath(app, '/buildpacks'));
    if (argv.json) return printJson(list);
    const p = paletteFor(process.stdout);
    if (list.length === 0) return print(`${appLabel(app, p)} has no Buildpack URL set.`);
    print(section(`${appLabel(app, p)} Buildpack URL${list.length > 1 ? 's' : ''}`, p));
    print();
    print(list.length === 1 ? list[0]!.url : list.map((b) => `${b.index}. ${b.url}`).join('\n'));
  },
});
