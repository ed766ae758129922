// Why: `minik buildpacks:set URL` makes URL the app's (first) buildpack, like `heroku buildpacks:set`.
import { resolveApp, withApp } from '../app.js';
import { buildpackArg, editBuildpacks } from '../buildpacks.js';
import { defineCommand } from '../command.js';

/** `minik buildpacks:set URL [--index N]`. */
export default defineCommand<{ app?: string; url: string; index?: number }>({
  command: 'buildpacks:set <url>',
  describe: 'set the app\'s buildpack (replacing the first, or the one at --index)',
  group: 'Apps',
  builder: (y) => withApp(y)
    .positional('url', { type: 'string', demandOption: true, describe: 'a folder, file://, git or .tgz URL (#ref allowed), or heroku/NAME' })
    .option('index', { alias: 'i', type: 'number', describe: 'the 1-based position to replace' }),
  handler: async (argv) => {
    const app = await resolveApp(argv);
    await editBuildpacks(app, 'Buildpack set', { action: 'set', url: buildpackArg(String(argv.url)), index: argv.index });
  },
});
