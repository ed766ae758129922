// Why: `minik dashboard` opens the daemon's dashboard with a one-time URL minted over the owner-only socket.
import { request } from '../client.js';
import { defineCommand } from '../command.js';
import { print } from '../format.js';
import { openBrowser } from './open.js';

/** `minik dashboard [--print]`. */
export default defineCommand<{ print?: boolean }>({
  command: 'dashboard',
  describe: 'open the web dashboard (prints a one-time sign-in URL)',
  group: 'Apps',
  builder: (y) => y.option('print', { type: 'boolean', describe: 'only print the URL' }),
  handler: async (argv) => {
    const { url } = await request<{ url: string }>('POST', '/dashboard/login');
    print(url);
    if (process.stdout.isTTY && !argv.print && (process.env.DISPLAY || process.env.WAYLAND_DISPLAY || process.platform === 'darwin')) await openBrowser(url);
  },
});
