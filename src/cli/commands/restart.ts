// Why: `minik restart [web|web.1]` restarts dynos in place, like `heroku ps:restart`.
import { withAction } from '../action.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { parseTarget } from '../args.js';
import { request } from '../client.js';
import { paletteFor } from '../color.js';
import { defineCommand } from '../command.js';
import { appLabel } from '../format.js';

/** "web dynos", "dyno web.1" or "dynos" for a restart/stop target. */
export function targetLabel(target: string | undefined): string {
  if (!target) return 'dynos';
  return target.includes('.') ? `dyno ${target}` : `${target} dynos`;
}

/** `minik restart [TARGET]`. */
export default defineCommand<{ app?: string; target?: string }>({
  command: 'restart [target]',
  describe: 'restart all dynos, one process type, or one dyno',
  group: 'Dynos',
  aliases: ['ps:restart'],
  builder: (y) => withApp(y).positional('target', { type: 'string', describe: 'process type (web) or dyno (web.1)' }),
  handler: async (argv) => {
    const target = argv.target === undefined ? undefined : parseTarget(String(argv.target));
    const app = await resolveApp(argv);
    const label = `Restarting ${targetLabel(target)} on ${appLabel(app, paletteFor(process.stderr))}`;
    await withAction(label, () => request('POST', appPath(app, '/restart'), target ? { target } : {}));
  },
});
