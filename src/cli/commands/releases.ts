// Why: `minik releases` lists the app's releases, newest first, like `heroku releases`.
import type { ReleaseView } from '../../core/api.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { request } from '../client.js';
import { paletteFor, type Palette } from '../color.js';
import { defineCommand, withJson } from '../command.js';
import { appLabel, isoWithAgo, print, printJson, section, table } from '../format.js';

/** A release status, coloured: succeeded green, failed red, pending yellow. */
export function releaseStatus(status: string, p: Palette): string {
  if (status === 'succeeded') return p.green(status);
  if (status === 'failed') return p.red(status);
  return p.yellow(status);
}

/** The `minik releases` table: SLUG says which releases can be rolled back to (kept) and which is current; a COMMIT column once an app has git deploys. */
export function releaseTable(releases: ReleaseView[], p: Palette, now = Date.now()): string {
  const git = releases.some((r) => r.commit);
  const rows = releases.map((r) => [
    r.current ? p.bold(`v${r.version}`) : `v${r.version}`, r.description, releaseStatus(r.status, p),
    ...(git ? [r.commit?.slice(0, 7) ?? ''] : []),
    isoWithAgo(r.createdAt, now), r.current ? p.green('current') : r.slugAvailable ? 'kept' : p.dim('pruned'),
  ]);
  return table(['VERSION', 'DESCRIPTION', 'STATUS', ...(git ? ['COMMIT'] : []), 'CREATED', 'SLUG'], rows, p);
}

/** `minik releases [-n N] [--json]`. */
export default defineCommand<{ app?: string; json?: boolean; num: number }>({
  command: 'releases',
  describe: "list the app's releases",
  group: 'Releases',
  builder: (y) => withJson(withApp(y)).option('num', { alias: 'n', type: 'number', default: 15, describe: 'how many releases to show' }),
  handler: async (argv) => {
    const app = await resolveApp(argv);
    const all = await request<ReleaseView[]>('GET', appPath(app, '/releases'));
    const releases = all.slice(0, Math.max(0, Math.floor(argv.num)));
    if (argv.json) return printJson(releases);
    const p = paletteFor(process.stdout);
    print(section(`${appLabel(app, p)} Releases`, p));
    print(releases.length === 0 ? "No releases yet. Run 'minik up' to deploy." : releaseTable(releases, p));
  },
});
