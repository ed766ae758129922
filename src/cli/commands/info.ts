// Why: `minik info` shows one app at a glance, like `heroku apps:info`.
import type { AppInfo } from '../../core/api.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { request } from '../client.js';
import { paletteFor } from '../color.js';
import { defineCommand, withJson } from '../command.js';
import { isoWithAgo, keyValues, print, printJson, section } from '../format.js';
import { dynoSummary } from './apps.js';

/** The key/value block `minik info` prints. */
export function infoPairs(a: AppInfo, p = paletteFor(process.stdout)): Array<[string, string]> {
  const formation = Object.entries(a.formation ?? {}).map(([t, n]) => `${t}: ${n}`).join(', ');
  const packs = (a.buildpack ?? '').split(', ').filter(Boolean); // a release records its buildpacks joined by ', '
  const types = Object.entries(a.processTypes ?? {}).map(([t, c]) => `${t}: ${c}`).join('\n');
  return [
    ['Web URL', a.url],
    ['HTTPS URL', a.httpsUrl ?? "off (see 'minik certs')"],
    ['Domains', [`${a.name}.localhost`, ...(a.domains ?? [])].join('\n')],
    ['Source', a.sourceDir],
    ['Release', a.currentRelease === null ? 'none (not deployed yet)' : `v${a.currentRelease}`],
    [packs.length > 1 ? 'Buildpacks' : 'Buildpack', packs.join('\n')],
    ['Runtime', a.runtime ?? (a.currentRelease === null ? '' : 'system')],
    ['Dynos', `${formation || 'none'} (${dynoSummary(a.dynos, p)})`],
    ['Process types', types],
    ['Maintenance', a.maintenance ? p.yellow('on') : 'off'],
    ['Autoscaling', (a.autoscale ?? []).map((s) => `${s.type} ${s.min}..${s.max} (p95 ${s.p95}ms)`).join(', ') || 'off'],
    ['Stack', a.stack],
    ['Created', isoWithAgo(a.createdAt)],
  ];
}

/** `minik info [--json]`. */
export default defineCommand<{ app?: string; json?: boolean }>({
  command: 'info',
  describe: "show an app's URL, release, dynos and settings",
  group: 'Apps',
  aliases: ['apps:info'],
  builder: (y) => withJson(withApp(y)),
  handler: async (argv) => {
    const app = await resolveApp(argv);
    const info = await request<AppInfo>('GET', appPath(app));
    if (argv.json) return printJson(info);
    const p = paletteFor(process.stdout);
    print(section(`⬢ ${info.name}`, p));
    print(keyValues(infoPairs(info, p), p));
  },
});
