// Why: `minik pg:backups:capture` dumps the database (pg_dump -Fc) into the next backup, b001, b002 …
import type { BackupView } from '../../core/addons.js';
import { streamAction } from '../addons.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { paletteFor } from '../color.js';
import { defineCommand } from '../command.js';
import { appLabel, formatBytes, print } from '../format.js';

/** `minik pg:backups:capture [DATABASE]`. */
export default defineCommand<{ app?: string; database?: string }>({
  command: 'pg:backups:capture [database]',
  describe: 'capture a backup of a database (default DATABASE)',
  group: 'Add-ons',
  builder: (y) => withApp(y).positional('database', { type: 'string', describe: 'attachment or add-on name (default: DATABASE)' }),
  handler: async (argv) => {
    const app = await resolveApp(argv);
    const db = String(argv.database ?? 'DATABASE');
    const done = await streamAction<{ backup: BackupView }>(`Capturing a backup of ${db} on ${appLabel(app, paletteFor(process.stderr))}`,
      'POST', appPath(app, `/pg/${encodeURIComponent(db)}/backups`), {}, (r) => `, ${r.backup.id}`);
    print(`Backup ${done.backup.id} of ${done.backup.addon} (${formatBytes(done.backup.size)}). Restore it with 'minik pg:backups:restore ${done.backup.id} --confirm ${app}'.`);
  },
});
