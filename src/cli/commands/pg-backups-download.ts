// Why: `minik pg:backups:download [b001] [-o FILE]` copies a backup (a pg_dump -Fc file) out, e.g. for pg_restore elsewhere.
import { copyFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { BackupView } from '../../core/addons.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { request } from '../client.js';
import { defineCommand } from '../command.js';
import { formatBytes, print } from '../format.js';

/** `minik pg:backups:download [BACKUP] [-o FILE]` (default: the newest, to latest.dump). */
export default defineCommand<{ app?: string; backup?: string; output?: string; database?: string }>({
  command: 'pg:backups:download [backup]',
  describe: 'download a backup (default: the newest) to latest.dump or -o FILE',
  group: 'Add-ons',
  builder: (y) => withApp(y).positional('backup', { type: 'string', describe: 'backup id, e.g. b001' })
    .option('output', { alias: 'o', type: 'string', describe: 'file to write (default: latest.dump)' })
    .option('database', { type: 'string', describe: 'attachment or add-on name (default: DATABASE)' }),
  handler: async (argv) => {
    const app = await resolveApp(argv);
    const db = encodeURIComponent(String(argv.database ?? 'DATABASE'));
    const b = await request<BackupView & { path: string }>('GET', appPath(app, `/pg/${db}/backups/${encodeURIComponent(String(argv.backup ?? 'latest'))}`));
    const to = resolve(String(argv.output ?? 'latest.dump'));
    await copyFile(b.path, to);
    print(`Downloaded ${b.id} (${formatBytes(b.size)}) to ${to}`);
  },
});
