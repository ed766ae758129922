// Why: `minik config` shows the app's config vars, like `heroku config` (also as shell lines or JSON).
import type { ConfigVars } from '../../core/types.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { shellQuote } from '../args.js';
import { request } from '../client.js';
import { paletteFor, type Palette } from '../color.js';
import { defineCommand, withJson } from '../command.js';
import { keyValues, print, printJson, section } from '../format.js';

/** `KEY: value` lines, aligned, keys sorted. */
export function configBlock(vars: ConfigVars, p: Palette): string {
  return keyValues(Object.keys(vars).sort().map((k) => [k, vars[k]!]), p);
}

/** `KEY=value` lines a shell can source. */
export function configShell(vars: ConfigVars): string {
  return Object.keys(vars).sort().map((k) => `${k}=${shellQuote(vars[k]!)}`).join('\n');
}

/** `minik config [--json] [--shell]`. */
export default defineCommand<{ app?: string; json?: boolean; shell?: boolean }>({
  command: 'config',
  describe: "show the app's config vars",
  group: 'Config vars',
  builder: (y) => withJson(withApp(y)).option('shell', { alias: 's', type: 'boolean', describe: 'print KEY=value lines for a shell' }),
  handler: async (argv) => {
    const app = await resolveApp(argv);
    const vars = await request<ConfigVars>('GET', appPath(app, '/config'));
    if (argv.json) return printJson(vars);
    if (argv.shell) return Object.keys(vars).length > 0 ? print(configShell(vars)) : undefined;
    const p = paletteFor(process.stdout);
    print(section(`⬢ ${app} Config Vars`, p));
    if (Object.keys(vars).length > 0) print(configBlock(vars, p));
  },
});
