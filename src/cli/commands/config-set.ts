// Why: `minik config:set K=V…` changes config vars; that cuts a new release (release phase output streams)
// and restarts the dynos, as on Heroku.
import type { ConfigVars } from '../../core/types.js';
import { Action } from '../action.js';
import { releaseVersion, type ReleaseRef } from '../../core/api.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { parseConfigPairs } from '../args.js';
import { stream } from '../client.js';
import { paletteFor } from '../color.js';
import { defineCommand } from '../command.js';
import { appLabel, joinAnd, print } from '../format.js';
import { configBlock } from './config.js';

/** Sends a config change as `PATCH /apps/:app/config`, showing release-phase output; resolves with the new version. */
export async function patchConfig(app: string, verb: string, keys: string[], body: { set?: ConfigVars; unset?: string[]; restart: boolean }): Promise<number | null> {
  const where = body.restart ? `and restarting ${appLabel(app, paletteFor(process.stderr))}` : `on ${appLabel(app, paletteFor(process.stderr))}`;
  const action = new Action(`${verb} ${joinAnd(keys)} ${where}`).start();
  try {
    const done = await stream<{ release?: ReleaseRef }>('PATCH', appPath(app, '/config'), body,
      (e) => { if (e.event === 'log') action.log(e.line); }, { what: 'config change' });
    const version = releaseVersion(done.release);
    action.done(version === null ? '' : `, v${version}`);
    return version;
  } catch (err) {
    action.fail();
    throw err;
  }
}

/** `minik config:set KEY=value [KEY2=value2…] [--no-restart]`. */
export default defineCommand<{ app?: string; pairs: string[]; restart: boolean }>({
  command: 'config:set <pairs..>',
  describe: 'set config vars (cuts a release and restarts the dynos)',
  group: 'Config vars',
  aliases: ['config:add'],
  builder: (y) => withApp(y)
    .positional('pairs', { type: 'string', array: true, demandOption: true, describe: 'KEY=value' })
    .option('restart', { type: 'boolean', default: true, describe: 'restart the dynos (--no-restart: apply on the next restart)' }),
  handler: async (argv) => {
    const set = parseConfigPairs(argv.pairs.map(String));
    const app = await resolveApp(argv);
    await patchConfig(app, 'Setting', Object.keys(set), { set, restart: argv.restart });
    print(configBlock(set, paletteFor(process.stdout)));
  },
});
