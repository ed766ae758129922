// Why: `minik pg:backups:restore [b001] --confirm APP` puts a backup back over the database's current data.
import type { BackupView } from '../../core/addons.js';
import { streamAction } from '../addons.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { paletteFor } from '../color.js';
import { defineCommand } from '../command.js';
import { appLabel } from '../format.js';

/** `minik pg:backups:restore [BACKUP] [DATABASE] --confirm APP`. */
export default defineCommand<{ app?: string; backup?: string; database?: string; confirm?: string }>({
  command: 'pg:backups:restore [backup] [database]',
  describe: 'restore a backup (default: the newest) into a database (default DATABASE)',
  group: 'Add-ons',
  builder: (y) => withApp(y).positional('backup', { type: 'string', describe: 'backup id, e.g. b001' })
    .positional('database', { type: 'string', describe: 'attachment or add-on name (default: DATABASE)' })
    .option('confirm', { type: 'string', describe: 'the app name, to confirm' }),
  handler: async (argv) => {
    const app = await resolveApp(argv);
    const db = String(argv.database ?? 'DATABASE');
    await streamAction<{ backup: BackupView }>(`Restoring ${argv.backup ?? 'the newest backup'} to ${db} on ${appLabel(app, paletteFor(process.stderr))}`,
      'POST', appPath(app, `/pg/${encodeURIComponent(db)}/restore`), { backup: argv.backup, confirm: argv.confirm }, (r) => `, ${r.backup.id}`);
  },
});
