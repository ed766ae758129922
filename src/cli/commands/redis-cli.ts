// Why: `minik redis:cli` opens redis-cli on the app's Redis (the password travels in REDISCLI_AUTH, not argv).
import { addonConnection, runTool } from '../addons.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { paletteFor } from '../color.js';
import { defineCommand } from '../command.js';
import { appLabel } from '../format.js';

/** `minik redis:cli [DATABASE] [-- COMMAND…]`. */
export default defineCommand<{ app?: string; database?: string; '--'?: string[] }>({
  command: 'redis:cli [database]',
  describe: 'open redis-cli on a Redis (default REDIS); a command after -- runs once',
  group: 'Add-ons',
  builder: (y) => withApp(y).positional('database', { type: 'string', describe: 'attachment or add-on name (default: REDIS)' }),
  handler: async (argv) => {
    const app = await resolveApp(argv);
    const db = String(argv.database ?? 'REDIS');
    const c = await addonConnection<{ host: string; port: number; password: string; redisCli: string }>(
      appPath(app, `/redis/${encodeURIComponent(db)}/connection`), `${db} on ${appLabel(app, paletteFor(process.stderr))}`);
    process.exitCode = await runTool(c.redisCli, ['-h', c.host, '-p', String(c.port), ...(argv['--'] ?? []).map(String)], { REDISCLI_AUTH: c.password });
  },
});
