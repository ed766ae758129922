// Why: `minik config:get KEY` prints one value raw, for scripts: `$(minik config:get DATABASE_URL)`.
import { validateConfigKey } from '../../core/names.js';
import type { ConfigVars } from '../../core/types.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { shellQuote } from '../args.js';
import { request } from '../client.js';
import { defineCommand } from '../command.js';
import { print } from '../format.js';

/** `minik config:get KEY [--shell]`; an unset key prints an empty line, as on Heroku. */
export default defineCommand<{ app?: string; key: string; shell?: boolean }>({
  command: 'config:get <key>',
  describe: 'print one config var',
  group: 'Config vars',
  builder: (y) => withApp(y)
    .positional('key', { type: 'string', demandOption: true, describe: 'config var key' })
    .option('shell', { alias: 's', type: 'boolean', describe: 'print KEY=value' }),
  handler: async (argv) => {
    const key = validateConfigKey(String(argv.key));
    const app = await resolveApp(argv);
    const vars = await request<ConfigVars>('GET', appPath(app, '/config'));
    const value = vars[key] ?? '';
    print(argv.shell ? `${key}=${shellQuote(value)}` : value);
  },
});
