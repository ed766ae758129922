// Why: `minik buildpacks:add URL` appends (or inserts at --index) a buildpack, like `heroku buildpacks:add`.
import { resolveApp, withApp } from '../app.js';
import { buildpackArg, editBuildpacks } from '../buildpacks.js';
import { defineCommand } from '../command.js';

/** `minik buildpacks:add URL [--index N]`. */
export default defineCommand<{ app?: string; url: string; index?: number }>({
  command: 'buildpacks:add <url>',
  describe: 'add a buildpack to the app (last, or at --index)',
  group: 'Apps',
  builder: (y) => withApp(y)
    .positional('url', { type: 'string', demandOption: true, describe: 'a folder, file://, git or .tgz URL (#ref allowed), or heroku/NAME' })
    .option('index', { alias: 'i', type: 'number', describe: 'the 1-based position to insert at' }),
  handler: async (argv) => {
    const app = await resolveApp(argv);
    await editBuildpacks(app, 'Buildpack added', { action: 'add', url: buildpackArg(String(argv.url)), index: argv.index });
  },
});
