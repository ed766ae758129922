// Why: `minik buildpacks:clear` empties the app's list, so the next deploy detects again.
import { resolveApp, withApp } from '../app.js';
import { editBuildpacks } from '../buildpacks.js';
import { defineCommand } from '../command.js';

/** `minik buildpacks:clear`. */
export default defineCommand<{ app?: string }>({
  command: 'buildpacks:clear',
  describe: "clear the app's buildpacks (the next deploy detects them)",
  group: 'Apps',
  builder: (y) => withApp(y),
  handler: async (argv) => {
    await editBuildpacks(await resolveApp(argv), 'Buildpacks cleared', { action: 'clear' });
  },
});
