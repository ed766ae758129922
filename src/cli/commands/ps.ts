// Why: `minik ps` shows every dyno's state from the supervisor, so "running" means it answers.
import { isProcessType } from '../../core/names.js';
import { invalid, type MinikError } from '../../core/errors.js';
import type { DynoView } from '../../core/api.js';
import type { AddonView } from '../../core/addons.js';
import { addonProcessTable } from '../addons.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { request } from '../client.js';
import { paletteFor, type Palette } from '../color.js';
import { defineCommand, withJson } from '../command.js';
import { appLabel, formatBytes, print, printJson, relativeTime, section, table } from '../format.js';

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
    if (dynos.length === 0) print(`No ${argv.type ? `${argv.type} ` : ''}dynos on ${appLabel(app, p)}. Scale up with 'minik scale web=1'.`);
    else print(dynoTable(dynos, p));
    // Add-on servers have their own heading, after the dynos (not in --json, which stays the dyno list).
    // A daemon older than add-ons has no such route: then there are none to show.
    const addons = argv.type ? [] : await request<AddonView[]>('GET', appPath(app, '/addons')).catch((err: MinikError) => {
      if (err.code === 'not_found') return [];
      throw err;
    });
    if (addons.length > 0) print(`\n${section('add-ons', p)}\n${addonProcessTable(addons, p)}`);
  },
});
