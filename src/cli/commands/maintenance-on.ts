// Why: `minik maintenance:on` makes the router answer a maintenance page (H80) while the dynos keep running.
import { withAction } from '../action.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { request } from '../client.js';
import { paletteFor } from '../color.js';
import { defineCommand } from '../command.js';
import { appLabel } from '../format.js';

/** Turns maintenance mode on or off; shared by maintenance:on and maintenance:off. */
export async function setMaintenance(argv: { app?: string }, on: boolean): Promise<void> {
  const app = await resolveApp(argv);
  const label = `${on ? 'Enabling' : 'Disabling'} maintenance mode for ${appLabel(app, paletteFor(process.stderr))}`;
  await withAction(label, () => request('POST', appPath(app, '/maintenance'), { on }));
}

/** `minik maintenance:on`. */
export default defineCommand<{ app?: string }>({
  command: 'maintenance:on',
  describe: 'serve a maintenance page instead of the app',
  group: 'Routing',
  builder: (y) => withApp(y),
  handler: (argv) => setMaintenance(argv, true),
});
