// Why: `minik pg:reset --confirm APP` empties a database: a fresh cluster on the same URL.
import { streamAction } from '../addons.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { paletteFor } from '../color.js';
import { defineCommand } from '../command.js';
import { appLabel } from '../format.js';

/** `minik pg:reset [DATABASE] --confirm APP`. */
export default defineCommand<{ app?: string; database?: string; confirm?: string }>({
  command: 'pg:reset [database]',
  describe: 'delete all data in a database (default DATABASE)',
  group: 'Add-ons',
  builder: (y) => withApp(y).positional('database', { type: 'string', describe: 'attachment or add-on name (default: DATABASE)' })
    .option('confirm', { type: 'string', describe: 'the app name, to confirm' }),
  handler: async (argv) => {
    const app = await resolveApp(argv);
    const db = String(argv.database ?? 'DATABASE');
    await streamAction(`Resetting ${db} on ${appLabel(app, paletteFor(process.stderr))}`, 'POST', appPath(app, `/pg/${encodeURIComponent(db)}/reset`), { confirm: argv.confirm });
  },
});
