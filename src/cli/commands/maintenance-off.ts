// Why: `minik maintenance:off` routes requests to the app's web dynos again.
import { withApp } from '../app.js';
import { defineCommand } from '../command.js';
import { setMaintenance } from './maintenance-on.js';

/** `minik maintenance:off`. */
export default defineCommand<{ app?: string }>({
  command: 'maintenance:off',
  describe: 'route requests to the app again',
  group: 'Routing',
  builder: (y) => withApp(y),
  handler: (argv) => setMaintenance(argv, false),
});
