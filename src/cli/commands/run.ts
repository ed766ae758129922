// Why: `minik run CMD…` runs a one-off dyno (migrations, consoles) with the app's slug and config; as with
// `heroku run`, every word from the first positional one on is the command (root.ts normalizeArgs).
import { appPath, resolveApp, withApp } from '../app.js';
import { joinCommand } from '../args.js';
import { runAttached, type AttachSpec } from '../attach.js';
import { request } from '../client.js';
import { paletteFor } from '../color.js';
import { defineCommand } from '../command.js';
import { appLabel } from '../format.js';

interface Args { app?: string; detach?: boolean; command?: string[]; '--'?: string[] }

/** `minik run [-a APP] [--detach] [--] COMMAND…`; COMMAND may be a Procfile process type. */
export default defineCommand<Args>({
  command: 'run [command..]',
  describe: 'run a one-off dyno: minik run node migrate.js, minik run worker, minik run bash',
  group: 'Dynos',
  builder: (y) => withApp(y)
    .positional('command', { type: 'string', array: true, describe: 'the command and its arguments, or a Procfile process type' })
    .option('detach', { alias: 'd', type: 'boolean', describe: 'run in the background; see its output with minik logs' }),
  handler: async (argv) => {
    const command = joinCommand([...(argv.command ?? []), ...(argv['--'] ?? [])].map(String));
    const app = await resolveApp(argv);
    const err = paletteFor(process.stderr);
    const label = `Running \`${command}\` on ${appLabel(app, err)}`;
    if (argv.detach) {
      const res = await request<{ name: string; pid: number }>('POST', appPath(app, '/run'), { command, detach: true });
      process.stderr.write(`${label}... up, ${res.name} (detached)\n`);
      process.stderr.write(err.dim(`Run 'minik logs -a ${app} --ps ${res.name}' to see its output.\n`));
      return;
    }
    const spec = await request<AttachSpec>('POST', appPath(app, '/run'), { command, detach: false, pid: process.pid });
    process.stderr.write(`${label}... up, ${spec.name}\n`);
    process.exitCode = await runAttached(spec);
  },
});
