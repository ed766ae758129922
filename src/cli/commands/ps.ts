// Why: `minik ps` shows every dyno's state from the supervisor, so "running" means it answers.
import { isProcessType } from '../../core/names.js';
import { invalid, type MinikError } from '../../core/errors.js';
import type { AppInfo, DynoView } from '../../core/api.js';
import type { AutoscaleSettings } from '../../core/metrics.js';
import type { AddonView } from '../../core/addons.js';
import { addonProcessTable } from '../addons.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { request } from '../client.js';
import { paletteFor, type Palette } from '../color.js';
import { defineCommand, withJson } from '../command.js';
import { formatBytes, print, printJson, relativeTime, section, table } from '../format.js';

/** The STATE cell: `up` green, `crashed (restart in 8s)` red, `starting` yellow. */
export function dynoState(d: DynoView, p: Palette, now = Date.now()): string {
  if (d.state === 'up') return p.green('up');
  if (d.state === 'crashed') {
    const when = d.nextRestartAt ? relativeTime(d.nextRestartAt, now) : '';
    return p.red(when.startsWith('in ') ? `crashed (restart ${when})` : 'crashed');
  }
  if (d.state === 'down') return p.dim('down');
  return p.yellow(d.state);
}

/** The `minik ps` table. */
export function dynoTable(dynos: DynoView[], p: Palette, now = Date.now()): string {
  const rows = dynos.map((d) => [
    d.name, dynoState(d, p, now), relativeTime(d.since, now), String(d.restarts), d.pid === null ? '' : String(d.pid),
    d.port === null ? '' : String(d.port), formatBytes(d.rss), d.cpu === null ? '' : `${d.cpu.toFixed(1)}%`, d.command,
  ]);
  return table(['NAME', 'STATE', 'SINCE', 'RESTARTS', 'PID', 'PORT', 'RSS', 'CPU', 'COMMAND'], rows, p);
}

/** What an empty `ps` means for this app's state, and the one command that changes it. */
export function noDynosMessage(info: Pick<AppInfo, 'name' | 'currentRelease' | 'processTypes' | 'formation'>, type?: string): string {
  const what = `No ${type ? `${type} ` : ''}dynos on ${info.name}`;
  if (info.currentRelease === null) return `${what}: it has no release yet. Deploy it with 'minik up'.`;
  const types = Object.keys(info.processTypes).filter((t) => t !== 'release' && (!type || t === type));
  if (types.length === 0) return `${what}: its release has no ${type ?? ''} process type. Its types: ${Object.keys(info.processTypes).filter((t) => t !== 'release').join(', ')}.`;
  const wanted = types.filter((t) => (Object.hasOwn(info.formation, t) ? info.formation[t]! : 0) > 0);
  if (wanted.length > 0) return `${what}: they were stopped. Start them again with 'minik restart${type ? ` ${type}` : ''}'.`;
  const pick = types.includes('web') ? 'web' : types[0]!;
  return `${what}. Scale up with 'minik scale ${pick}=1'.`;
}

/** `Autoscaling web: 1 to 5 dynos, p95 target 1000ms`. */
export function autoscaleLine(a: { type: string; min: number; max: number; p95: number }): string {
  return `Autoscaling ${a.type}: ${a.min} to ${a.max} dynos, p95 target ${a.p95}ms`;
}

/** `minik ps [TYPE] [--json]`. */
export default defineCommand<{ app?: string; json?: boolean; type?: string }>({
  command: 'ps [type]',
  describe: "list the app's dynos",
  group: 'Dynos',
  builder: (y) => withJson(withApp(y)).positional('type', { type: 'string', describe: 'only this process type' }),
  handler: async (argv) => {
    if (argv.type !== undefined && !isProcessType(argv.type)) {
      throw invalid(`'${argv.type}' is not a process type`, 'e.g. minik ps web');
    }
    const app = await resolveApp(argv);
    const all = await request<DynoView[]>('GET', appPath(app, '/dynos'));
    const dynos = argv.type ? all.filter((d) => d.type === argv.type) : all;
    if (argv.json) return printJson(dynos);
    const p = paletteFor(process.stdout);
    if (dynos.length === 0) print(noDynosMessage(await request<AppInfo>('GET', appPath(app)), argv.type));
    else print(dynoTable(dynos, p));
    for (const a of await request<AutoscaleSettings[]>('GET', appPath(app, '/autoscale'))) print(`\n${autoscaleLine(a)}`);
    // Add-on servers have their own heading, after the dynos (not in --json, which stays the dyno list).
    // A daemon older than add-ons has no such route: then there are none to show.
    const addons = argv.type ? [] : await request<AddonView[]>('GET', appPath(app, '/addons')).catch((err: MinikError) => {
      if (err.code === 'not_found') return [];
      throw err;
    });
    if (addons.length > 0) print(`\n${section('add-ons', p)}\n${addonProcessTable(addons, p)}`);
  },
});
