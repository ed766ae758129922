// Why: `minik config:unset K…` removes config vars (a new release, like config:set).
import { validateConfigKey } from '../../core/names.js';
import { resolveApp, withApp } from '../app.js';
import { defineCommand } from '../command.js';
import { patchConfig } from './config-set.js';

/** `minik config:unset KEY [KEY2…] [--no-restart]`. */
export default defineCommand<{ app?: string; keys: string[]; restart: boolean }>({
  command: 'config:unset <keys..>',
  describe: 'remove config vars (cuts a release and restarts the dynos)',
  group: 'Config vars',
  aliases: ['config:remove'],
  builder: (y) => withApp(y)
    .positional('keys', { type: 'string', array: true, demandOption: true, describe: 'config var keys' })
    .option('restart', { type: 'boolean', default: true, describe: 'restart the dynos (--no-restart: apply on the next restart)' }),
  handler: async (argv) => {
    const unset = [...new Set(argv.keys.map((k) => validateConfigKey(String(k))))];
    const app = await resolveApp(argv);
    await patchConfig(app, 'Unsetting', unset, { unset, restart: argv.restart });
  },
});
