// Why: `minik buildpacks:remove URL|--index N` drops one buildpack from the app's list.
import { MinikError } from '../../core/errors.js';
import { resolveApp, withApp } from '../app.js';
import { buildpackArg, editBuildpacks } from '../buildpacks.js';
import { defineCommand } from '../command.js';

/** `minik buildpacks:remove [URL] [--index N]`. */
export default defineCommand<{ app?: string; url?: string; index?: number }>({
  command: 'buildpacks:remove [url]',
  describe: 'remove a buildpack from the app, by URL or --index',
  group: 'Apps',
  builder: (y) => withApp(y)
    .positional('url', { type: 'string', describe: 'the buildpack URL as listed by minik buildpacks' })
    .option('index', { alias: 'i', type: 'number', describe: 'the 1-based position to remove' }),
  handler: async (argv) => {
    if ((argv.url === undefined) === (argv.index === undefined)) {
      throw new MinikError('pass a buildpack URL or --index N, not both or neither', { hint: 'e.g. minik buildpacks:remove --index 2', code: 'invalid' });
    }
    const app = await resolveApp(argv);
    const url = argv.url === undefined ? undefined : buildpackArg(String(argv.url));
    await editBuildpacks(app, 'Buildpack removed', { action: 'remove', url, index: argv.index });
  },
});
