// Why: `minik pg:info` shows each Postgres database of the app: version, state, connections, size, tables.
import type { AddonView } from '../../core/addons.js';
import { addonState } from '../addons.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { request } from '../client.js';
import { paletteFor } from '../color.js';
import { defineCommand, withJson } from '../command.js';
import { appLabel, formatBytes, isoWithAgo, keyValues, print, printJson, section } from '../format.js';

interface PgInfo { addon: string; version: string; connections: number; maxConnections: number; dataSize: number; tables: number }

/** `minik pg:info [DATABASE] [--json]`. */
export default defineCommand<{ app?: string; database?: string; json?: boolean }>({
  command: 'pg:info [database]',
  describe: "show the app's Postgres databases",
  group: 'Add-ons',
  builder: (y) => withJson(withApp(y)).positional('database', { type: 'string', describe: 'attachment or add-on name (default: all)' }),
  handler: async (argv) => {
    const app = await resolveApp(argv);
    const all = (await request<AddonView[]>('GET', appPath(app, '/addons'))).filter((a) => a.service === 'heroku-postgresql');
    const ref = argv.database === undefined ? null : String(argv.database).toUpperCase().replace(/_URL$/, '');
    const dbs = ref === null ? all : all.filter((a) => a.name === argv.database || a.attachments.some((x) => x.app === app && x.name === ref));
    const p = paletteFor(process.stdout);
    if (dbs.length === 0) return print(`${appLabel(app, p)} has no ${ref ?? 'Postgres'} database. Create one with 'minik addons:create heroku-postgresql'.`);
    const infos = await Promise.all(dbs.map((a) => request<PgInfo>('GET', appPath(app, `/pg/${encodeURIComponent(a.name)}`))));
    if (argv.json) return printJson(infos);
    dbs.forEach((a, i) => {
      const info = infos[i]!;
      if (i > 0) print();
      print(section(a.attachments.filter((x) => x.app === app).map((x) => `${x.name}_URL`).join(', '), p));
      print(keyValues([
        ['Plan', a.plan.split(':')[1] ?? a.plan], ['Status', a.state === 'up' ? 'Available' : addonState(a, p)],
        ['Connections', `${info.connections}/${info.maxConnections}`], ['PG Version', info.version],
        ['Created', isoWithAgo(a.createdAt)], ['Data Size', formatBytes(info.dataSize)], ['Tables', info.tables],
        ['Port', a.port], ['Add-on', a.name],
      ], p));
    });
  },
});
