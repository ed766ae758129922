// Why: `minik releases:info [vN]` shows what a release holds: its config snapshot and process types.
import { MinikError } from '../../core/errors.js';
import type { ConfigVars, ProcessTypes } from '../../core/types.js';
import type { ReleaseView } from '../../core/api.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { parseReleaseVersion } from '../args.js';
import { request } from '../client.js';
import { paletteFor } from '../color.js';
import { defineCommand, withJson } from '../command.js';
import { isoWithAgo, keyValues, print, printJson, section } from '../format.js';
import { configBlock } from './config.js';
import { releaseStatus } from './releases.js';

type ReleaseDetail = ReleaseView & { config: ConfigVars; processTypes: ProcessTypes };

/** The app's current release version; a clear error before the first deploy. */
async function currentVersion(app: string): Promise<number> {
  const releases = await request<ReleaseView[]>('GET', appPath(app, '/releases'));
  const current = releases.find((r) => r.current) ?? releases[0];
  if (!current) throw new MinikError(`app '${app}' has no releases yet`, { hint: "run 'minik up' to deploy it", code: 'not_found' });
  return current.version;
}

/** `minik releases:info [vN] [--json]`. */
export default defineCommand<{ app?: string; json?: boolean; release?: string }>({
  command: 'releases:info [release]',
  describe: 'show one release (default: the current one)',
  group: 'Releases',
  builder: (y) => withJson(withApp(y)).positional('release', { type: 'string', describe: 'release, e.g. v4 or 4' }),
  handler: async (argv) => {
    const wanted = argv.release === undefined ? undefined : parseReleaseVersion(String(argv.release));
    const app = await resolveApp(argv);
    const version = wanted ?? (await currentVersion(app));
    const r = await request<ReleaseDetail>('GET', appPath(app, `/releases/${version}`));
    if (argv.json) return printJson(r);
    const p = paletteFor(process.stdout);
    print(section(`Release v${r.version}`, p));
    print(keyValues([
      ['Description', r.description], ['Status', releaseStatus(r.status, p)], ['Current', r.current ? 'yes' : 'no'],
      ['Buildpack', r.buildpack], ...(r.commit ? [['Commit', r.commit] as [string, string]] : []), ['Slug', r.slugAvailable ? 'available' : 'pruned (cannot roll back to it)'],
      ['Created', isoWithAgo(r.createdAt)],
      ['Process types', Object.entries(r.processTypes ?? {}).map(([t, c]) => `${t}: ${c}`).join('\n')],
    ], p));
    print();
    print(section(`v${r.version} Config Vars`, p));
    if (Object.keys(r.config ?? {}).length > 0) print(configBlock(r.config, p));
  },
});
