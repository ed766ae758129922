// Why: `minik redis:cli` opens redis-cli on the app's Redis (the password travels in REDISCLI_AUTH, not argv).
import { runTool } from '../addons.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { request } from '../client.js';
import { defineCommand } from '../command.js';

/** `minik redis:cli [DATABASE] [-- COMMAND…]`. */
export default defineCommand<{ app?: string; database?: string; '--'?: string[] }>({
  command: 'redis:cli [database]',
  describe: 'open redis-cli on a Redis (default REDIS); a command after -- runs once',
  group: 'Add-ons',
  builder: (y) => withApp(y).positional('database', { type: 'string', describe: 'attachment or add-on name (default: REDIS)' }),
  handler: async (argv) => {
    const app = await resolveApp(argv);
    const c = await request<{ host: string; port: number; password: string; redisCli: string }>('GET',
      appPath(app, `/redis/${encodeURIComponent(String(argv.database ?? 'REDIS'))}/connection`));
    process.exitCode = await runTool(c.redisCli, ['-h', c.host, '-p', String(c.port), ...(argv['--'] ?? []).map(String)], { REDISCLI_AUTH: c.password });
  },
});
