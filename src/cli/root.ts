// Why: the yargs root: registers every command with Heroku-like grouped help; main.ts runs it and is the
// one place that prints errors and exits.
import yargs, { type Argv } from 'yargs';
import { MinikError } from '../core/errors.js';
import { splitRunArgs } from './args.js';
import type { MinikCommand } from './command.js';
import { commands, helpGroups } from './commands/index.js';
import { padEnd, paletteFor, visibleWidth } from './color.js';
import { cliVersion } from './version.js';

/** `minik --help`: every command with a one-line description, grouped like Heroku's topics. */
export function rootHelp(p = paletteFor(process.stdout)): string {
  const groups = helpGroups();
  const width = Math.max(...groups.flatMap(([, cmds]) => cmds.map(([c]) => visibleWidth(c))));
  const lines = ['minik: a local mini-Heroku. Procfile apps, built by buildpacks, run as dynos at http://APP.localhost', '',
    `${p.bold('Usage:')} minik <command> [options]`];
  for (const [group, cmds] of groups) {
    lines.push('', p.bold(group));
    for (const [c, d] of cmds) lines.push(`  ${padEnd(c, width)}  ${d}`);
  }
  lines.push('', "Most commands take --app/-a NAME (default: $MINIK_APP, then the app deployed from this folder).",
    "Run 'minik COMMAND --help' for a command's options.");
  return lines.join('\n');
}

/** A command as registered: hidden from yargs' flat list (rootHelp lists it), described in its own --help. */
function register(c: MinikCommand<any>) {
  return {
    ...c,
    describe: false as const,
    builder: (y: Argv) => {
      const usage = `Usage: minik ${c.command}${c.aliases?.length ? `  (alias: ${c.aliases.join(', ')})` : ''}\n\n${c.describe}`;
      return (c.builder ? c.builder(y.usage(usage)) : y.usage(usage));
    },
  };
}

/** The error for a yargs usage failure (unknown command, missing argument, bad option). */
export function usageError(message: string, args: readonly string[]): MinikError {
  const first = args[0] ?? '';
  const known = commands.some((c) => c.command.split(' ')[0] === first || c.aliases?.includes(first));
  if (known) return new MinikError(message, { hint: `see 'minik ${first} --help'`, code: 'usage' });
  // An unknown command: say so (not that its valid flags are unknown), with yargs' closest match if any.
  const suggestion = /^Did you mean (\S+)\?$/.exec(message)?.[1];
  const what = first.startsWith('-') || first === '' ? message : `'${first}' is not a minik command`;
  const hint = suggestion ? `did you mean 'minik ${suggestion}'? Run 'minik --help' for the list of commands` : "run 'minik --help' for the list of commands";
  return new MinikError(what, { hint, code: 'usage' });
}

/** The configured yargs instance for `args` (no side effects until parsed). */
export function buildCli(args: readonly string[]): Argv {
  const y = yargs([...args])
    .scriptName('minik')
    .usage(rootHelp())
    .parserConfiguration({ 'parse-positional-numbers': false, 'populate--': true })
    .version(cliVersion())
    .help()
    .alias('help', 'h')
    .alias('version', 'v')
    .strict()
    .recommendCommands()
    .wrap(null)
    .fail((msg, err) => {
      throw err ?? usageError(msg, args);
    });
  for (const c of commands) y.command(register(c) as never);
  return y.demandCommand(1, 'pick a command');
}

/** Rewrites `minik` and `minik help [cmd]` into `--help` requests, and ends `minik run`'s options at its command. */
export function normalizeArgs(args: readonly string[]): string[] {
  if (args.length === 0) return ['--help'];
  if (args[0] === 'help') return args.length > 1 ? [args[1]!, '--help'] : ['--help'];
  if (args[0] === 'run') return splitRunArgs(args);
  return [...args];
}
