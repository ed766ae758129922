// Why: one shape for every command file: a yargs CommandModule plus the help group it is listed under.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';

/** Help groups, in the order `minik --help` lists them (like Heroku's topics). */
export type Group = 'Apps' | 'Dynos' | 'Logs' | 'Config vars' | 'Releases' | 'Routing' | 'Add-ons' | 'Git' | 'Daemon';

/** A yargs CommandModule with its help group; `A` is the parsed arguments. */
export interface MinikCommand<A = Record<string, unknown>> extends CommandModule<object, A> {
  command: string;
  describe: string;
  group: Group;
  aliases?: string[];
  /** Left out of `minik --help` (internal commands, e.g. the one git's hook runs). */
  hidden?: boolean;
  builder?: (y: Argv) => Argv<A>;
  handler: (argv: ArgumentsCamelCase<A>) => Promise<void>;
}

/** Keeps a command's argument type while erasing it for lists of commands. */
export function defineCommand<A>(c: MinikCommand<A>): MinikCommand<A> {
  return c;
}

/** Adds `--json` to a listing command (convention 9). */
export function withJson<T>(y: Argv<T>): Argv<T & { json: boolean | undefined }> {
  return y.option('json', { type: 'boolean', describe: 'print the data as JSON' });
}
