// Why: `minik pg:psql` opens psql on the app's database (interactive on a terminal), or runs -c SQL / -f FILE.
import { appPath, resolveApp, withApp } from '../app.js';
import { addonConnection, runTool } from '../addons.js';
import { paletteFor } from '../color.js';
import { defineCommand } from '../command.js';
import { appLabel } from '../format.js';

interface Connection { host: string; port: number; user: string; database: string; password: string; psql: string }

/** `minik pg:psql [DATABASE] [-c SQL] [-f FILE]`. */
export default defineCommand<{ app?: string; database?: string; command?: string; file?: string }>({
  command: 'pg:psql [database]',
  describe: 'open psql on a database (default DATABASE), or run -c SQL / -f FILE',
  group: 'Add-ons',
  builder: (y) => withApp(y).positional('database', { type: 'string', describe: 'attachment or add-on name (default: DATABASE)' })
    .option('command', { alias: 'c', type: 'string', describe: 'SQL to run' })
    .option('file', { alias: 'f', type: 'string', describe: 'a file of SQL to run' }),
  handler: async (argv) => {
    const app = await resolveApp(argv);
    const db = String(argv.database ?? 'DATABASE');
    const c = await addonConnection<Connection>(appPath(app, `/pg/${encodeURIComponent(db)}/connection`), `${db} on ${appLabel(app, paletteFor(process.stderr))}`);
    const args = ['-h', c.host, '-p', String(c.port), '-U', c.user, '-d', c.database, '-v', 'ON_ERROR_STOP=1'];
    if (argv.command !== undefined) args.push('-c', String(argv.command));
    if (argv.file !== undefined) args.push('-f', String(argv.file));
    process.exitCode = await runTool(c.psql, args, { PGPASSWORD: c.password, PGAPPNAME: `minik pg:psql ${app}` });
  },
});
