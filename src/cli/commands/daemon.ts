// Why: `minik daemon start|stop|status` manages the background process that runs the dynos and the router.
import type { Argv } from 'yargs';
import { defineCommand } from '../command.js';
import start from './daemon-start.js';
import status from './daemon-status.js';
import stop from './daemon-stop.js';

/** The daemon's subcommands. */
export const daemonCommands = [start, stop, status];

/** `minik daemon <start|stop|status>`. */
export default defineCommand<Record<string, never>>({
  command: 'daemon',
  describe: 'start, stop or inspect the minik daemon',
  group: 'Daemon',
  builder: (y: Argv) => daemonCommands.reduce<Argv>((acc, c) => acc.command(c as never), y).demandCommand(1) as never,
  handler: async () => {},
});
