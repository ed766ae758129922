// Why: `minik scale web=3` changes the formation; the daemon answers once the new dynos are up.
import type { Formation } from '../../core/types.js';
import { withAction } from '../action.js';
import type { FormationEntry } from '../../core/api.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { applyScale, parseScaleArgs } from '../args.js';
import { request } from '../client.js';
import { defineCommand, withJson } from '../command.js';
import { print, printJson } from '../format.js';

/** `web=1 worker=0`, as Heroku prints a formation. */
export function formationLine(entries: FormationEntry[]): string {
  return entries.map((e) => `${e.type}=${e.quantity}`).join(' ');
}

/** `minik scale TYPE=N [TYPE=N…]`, or the formation when no argument is given. */
export default defineCommand<{ app?: string; json?: boolean; changes?: string[] }>({
  command: 'scale [changes..]',
  describe: 'set how many dynos run per process type (web=2 worker=1)',
  group: 'Dynos',
  aliases: ['ps:scale'],
  builder: (y) => withJson(withApp(y)).positional('changes', { type: 'string', array: true, describe: 'TYPE=N, TYPE+N or TYPE-N' }),
  handler: async (argv) => {
    const changes = parseScaleArgs((argv.changes ?? []).map(String));
    const app = await resolveApp(argv);
    const path = appPath(app, '/formation');
    if (changes.length === 0) {
      const entries = await request<FormationEntry[]>('GET', path);
      return argv.json ? printJson(entries) : print(formationLine(entries));
    }
    const relative = changes.some((c) => c.op !== '=');
    const current: Formation = {};
    if (relative) for (const e of await request<FormationEntry[]>('GET', path)) current[e.type] = e.quantity;
    const body = applyScale(changes, current);
    const entries = await withAction('Scaling dynos', () => request<FormationEntry[]>('PATCH', path, body), (res) => {
      const now = res.filter((e) => Object.hasOwn(body, e.type)).map((e) => `${e.type} at ${e.quantity}`);
      return now.length > 0 ? `, now running ${now.join(', ')}` : '';
    });
    for (const e of entries.filter((x) => x.autoscaleDisabled)) process.stderr.write(`Autoscaling for ${e.type} disabled by this manual scale; re-enable it with 'minik ps:autoscale:enable ${e.type}'\n`);
    if (argv.json) printJson(entries);
  },
});
