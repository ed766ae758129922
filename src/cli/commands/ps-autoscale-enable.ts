// Why: `minik ps:autoscale:enable web --min 1 --max 5 [--p95 1000]`, Heroku's autoscaling of web dynos.
import type { AutoscaleSettings } from '../../core/metrics.js';
import { withAction } from '../action.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { request } from '../client.js';
import { paletteFor } from '../color.js';
import { defineCommand } from '../command.js';
import { appLabel } from '../format.js';

/** `minik ps:autoscale:enable web --min N --max N [--p95 MS]`. */
export default defineCommand<{ app?: string; type: string; min: number; max: number; p95: number }>({
  command: 'ps:autoscale:enable <type>',
  describe: 'scale web dynos between --min and --max by response time',
  group: 'Dynos',
  builder: (y) => withApp(y)
    .positional('type', { type: 'string', demandOption: true, describe: 'web' })
    .option('min', { type: 'number', demandOption: true, describe: 'fewest dynos' })
    .option('max', { type: 'number', demandOption: true, describe: 'most dynos' })
    .option('p95', { type: 'number', default: 1000, describe: 'desired p95 response time (ms)' }),
  handler: async (argv) => {
    const app = await resolveApp(argv);
    const body = { min: argv.min, max: argv.max, p95: argv.p95 };
    await withAction(`Enabling autoscaling for ${argv.type} on ${appLabel(app, paletteFor(process.stderr))}`,
      () => request<AutoscaleSettings>('PUT', appPath(app, `/autoscale/${encodeURIComponent(String(argv.type))}`), body),
      (s) => `, ${s.min} to ${s.max} dynos, p95 ${s.p95}ms`);
  },
});
