// Why: `minik pg:backups` lists the database's backups (b001, b002 …) with size and time.
import type { BackupView } from '../../core/addons.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { request } from '../client.js';
import { paletteFor } from '../color.js';
import { defineCommand, withJson } from '../command.js';
import { appLabel, formatBytes, print, printJson, section, table } from '../format.js';

/** `minik pg:backups [DATABASE] [--json]`. */
export default defineCommand<{ app?: string; database?: string; json?: boolean }>({
  command: 'pg:backups [database]',
  describe: "list a database's backups",
  group: 'Add-ons',
  builder: (y) => withJson(withApp(y)).positional('database', { type: 'string', describe: 'attachment or add-on name (default: DATABASE)' }),
  handler: async (argv) => {
    const app = await resolveApp(argv);
    const list = await request<BackupView[]>('GET', appPath(app, `/pg/${encodeURIComponent(String(argv.database ?? 'DATABASE'))}/backups`));
    if (argv.json) return printJson(list);
    const p = paletteFor(process.stdout);
    print(section(`Backups of ${appLabel(app, p)}`, p));
    if (list.length === 0) return print(`No backups. Capture one with 'minik pg:backups:capture -a ${app}'.`);
    print(table(['ID', 'Created at', 'Status', 'Size', 'Database'],
      [...list].reverse().map((b) => [b.id, b.createdAt.replace('T', ' ').replace(/\.\d+Z$/, ' +0000'), 'Completed', formatBytes(b.size), b.addon]), p));
  },
});
