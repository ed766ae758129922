// Why: `minik labs:disable log-runtime-metrics`.
import { withApp } from '../app.js';
import { defineCommand } from '../command.js';
import { setLabs } from './labs-enable.js';

/** `minik labs:disable FEATURE`. */
export default defineCommand<{ app?: string; feature: string }>({
  command: 'labs:disable <feature>',
  describe: 'disable an experimental feature',
  group: 'Logs',
  builder: (y) => withApp(y).positional('feature', { type: 'string', demandOption: true, describe: 'log-runtime-metrics' }),
  handler: (argv) => setLabs(argv, false),
});
