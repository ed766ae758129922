// Why: `minik labs:enable log-runtime-metrics` turns on Heroku's per-dyno memory and load lines.
import { withAction } from '../action.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { request } from '../client.js';
import { paletteFor } from '../color.js';
import { defineCommand } from '../command.js';
import { appLabel } from '../format.js';

/** Enables or disables a labs feature; shared by labs:enable and labs:disable. */
export async function setLabs(argv: { app?: string; feature: string }, enabled: boolean): Promise<void> {
  const app = await resolveApp(argv);
  const label = `${enabled ? 'Enabling' : 'Disabling'} ${argv.feature} for ${appLabel(app, paletteFor(process.stderr))}`;
  await withAction(label, () => request('POST', appPath(app, '/labs'), { feature: String(argv.feature), enabled }));
}

/** `minik labs:enable FEATURE`. */
export default defineCommand<{ app?: string; feature: string }>({
  command: 'labs:enable <feature>',
  describe: 'enable an experimental feature (log-runtime-metrics)',
  group: 'Logs',
  builder: (y) => withApp(y).positional('feature', { type: 'string', demandOption: true, describe: 'log-runtime-metrics' }),
  handler: (argv) => setLabs(argv, true),
});
