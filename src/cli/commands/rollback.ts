// Why: `minik rollback [vN]` makes a new release from an earlier one's slug and config, like Heroku's.
import { Action } from '../action.js';
import { releaseVersion, type ReleaseRef } from '../../core/api.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { parseReleaseVersion } from '../args.js';
import { stream } from '../client.js';
import { paletteFor } from '../color.js';
import { defineCommand } from '../command.js';
import { appLabel } from '../format.js';

/** `minik rollback [vN]` (default: the release before the current one). */
export default defineCommand<{ app?: string; release?: string }>({
  command: 'rollback [release]',
  describe: 'roll back to an earlier release (default: the previous one)',
  group: 'Releases',
  aliases: ['releases:rollback'],
  builder: (y) => withApp(y).positional('release', { type: 'string', describe: 'release, e.g. v4 or 4' }),
  handler: async (argv) => {
    const version = argv.release === undefined ? undefined : parseReleaseVersion(String(argv.release));
    const app = await resolveApp(argv);
    const to = version === undefined ? '' : ` to v${version}`;
    const action = new Action(`Rolling back ${appLabel(app, paletteFor(process.stderr))}${to}`).start();
    try {
      const done = await stream<{ release?: ReleaseRef; rolledBackTo?: ReleaseRef }>('POST', appPath(app, '/rollback'),
        version === undefined ? {} : { version }, (e) => { if (e.event === 'log') action.log(e.line); }, { what: 'rollback' });
      const [v, from] = [releaseVersion(done.release), releaseVersion(done.rolledBackTo)];
      action.done(`${v === null ? '' : `, v${v}`}${from === null || version !== undefined ? '' : ` (back to v${from})`}`);
    } catch (err) {
      action.fail();
      throw err;
    }
  },
});
