// Why: `minik apps` lists every app the daemon knows, like `heroku apps`.
import type { AppView } from '../../core/api.js';
import { request } from '../client.js';
import { paletteFor } from '../color.js';
import { defineCommand, withJson } from '../command.js';
import { print, printJson, table } from '../format.js';

/** The DYNOS cell: `2/2 up`, red when some are not up. */
export function dynoSummary(d: { up: number; total: number }, p = paletteFor(process.stdout)): string {
  const text = `${d.up}/${d.total} up`;
  return d.up < d.total ? p.red(text) : text;
}

/** `minik apps [--json]`. */
export default defineCommand<{ json?: boolean }>({
  command: 'apps',
  describe: 'list apps',
  group: 'Apps',
  builder: (y) => withJson(y),
  handler: async (argv) => {
    const apps = await request<AppView[]>('GET', '/apps');
    if (argv.json) return printJson(apps);
    if (apps.length === 0) return print("No apps yet. Run 'minik up' in an app's folder.");
    const p = paletteFor(process.stdout);
    const rows = apps.map((a) => [
      p.bold(a.name), a.url, a.currentRelease === null ? '-' : `v${a.currentRelease}`,
      dynoSummary(a.dynos, p) + (a.maintenance ? p.yellow(' (maintenance)') : ''), a.sourceDir,
    ]);
    print(table(['NAME', 'URL', 'RELEASE', 'DYNOS', 'SOURCE'], rows, p));
  },
});
