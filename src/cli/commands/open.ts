// Why: `minik open` gets you from the terminal to the running app.
import type { AppInfo } from '../../core/api.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { request } from '../client.js';
import { defineCommand } from '../command.js';
import { print } from '../format.js';

/** Opens a URL in the desktop's browser; never fails (the URL is printed anyway). */
export async function openBrowser(url: string): Promise<void> {
  const opener = process.platform === 'darwin' ? 'open' : 'xdg-open';
  try {
    const { execa } = await import('execa'); // loaded only here: it costs ~40 ms of every CLI start otherwise
    const child = execa(opener, [url], { stdio: 'ignore', detached: true, timeout: 10_000 });
    child.unref();
    await child;
  } catch {
    // no browser opener here: the printed URL is enough
  }
}

/** `minik open [--print]`. */
export default defineCommand<{ app?: string; print?: boolean; path?: string }>({
  command: 'open [path]',
  describe: "print the app's URL and open it in a browser",
  group: 'Apps',
  builder: (y) => withApp(y)
    .positional('path', { type: 'string', describe: 'path to open, e.g. /admin' })
    .option('print', { type: 'boolean', describe: 'only print the URL' }),
  handler: async (argv) => {
    const app = await resolveApp(argv);
    const info = await request<AppInfo>('GET', appPath(app));
    const path = argv.path ? `/${String(argv.path).replace(/^\/+/, '')}` : '';
    const url = `${info.url}${path}`;
    print(url);
    if (process.stdout.isTTY && !argv.print) await openBrowser(url);
  },
});
