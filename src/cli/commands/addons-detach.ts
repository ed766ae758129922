// Why: `minik addons:detach NAME -a APP` removes one attachment (and its config var) from an app.
import { releaseSuffix, streamAction } from '../addons.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { paletteFor } from '../color.js';
import { defineCommand } from '../command.js';
import { appLabel } from '../format.js';

/** `minik addons:detach ATTACHMENT -a APP`. */
export default defineCommand<{ app?: string; attachment: string }>({
  command: 'addons:detach <attachment>',
  describe: 'detach an add-on from an app (e.g. DATABASE)',
  group: 'Add-ons',
  builder: (y) => withApp(y).positional('attachment', { type: 'string', demandOption: true, describe: 'attachment name, e.g. DATABASE' }),
  handler: async (argv) => {
    const app = await resolveApp(argv);
    await streamAction(`Detaching ${argv.attachment} from ${appLabel(app, paletteFor(process.stderr))}`,
      'DELETE', appPath(app, `/attachments/${encodeURIComponent(String(argv.attachment))}`), {}, releaseSuffix);
  },
});
