// Why: `minik ps:autoscale:disable web` leaves the formation as it is and stops autoscaling it.
import { withAction } from '../action.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { request } from '../client.js';
import { paletteFor } from '../color.js';
import { defineCommand } from '../command.js';
import { appLabel } from '../format.js';

/** `minik ps:autoscale:disable [web]`. */
export default defineCommand<{ app?: string; type?: string }>({
  command: 'ps:autoscale:disable [type]',
  describe: 'stop autoscaling web dynos',
  group: 'Dynos',
  builder: (y) => withApp(y).positional('type', { type: 'string', default: 'web', describe: 'web' }),
  handler: async (argv) => {
    const app = await resolveApp(argv);
    const type = String(argv.type ?? 'web');
    await withAction(`Disabling autoscaling for ${type} on ${appLabel(app, paletteFor(process.stderr))}`,
      () => request<{ disabled: boolean }>('DELETE', appPath(app, `/autoscale/${encodeURIComponent(type)}`)),
      (r) => (r.disabled ? '' : ' (it was off)'));
  },
});
