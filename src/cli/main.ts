// Why: the CLI's entry point (bin/minik imports it): runs the command, then is the only place that prints
// errors (`minik: message` + `hint: …`) and sets the exit code.
import { paletteFor } from './color.js';
import { exitCodeOf, formatError } from './errors.js';
import { buildCli, normalizeArgs } from './root.js';

/** Runs the CLI with `args` and resolves with the exit code; errors are printed to stderr here. */
export async function main(args: readonly string[]): Promise<number> {
  try {
    await buildCli(normalizeArgs(args)).parseAsync();
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    process.stderr.write(`${formatError(err, paletteFor(process.stderr), process.env.MINIK_DEBUG === '1')}\n`);
    return exitCodeOf(err);
  }
}

// Why not process.exit(): it ends the process before stdout drains, which cuts piped output at the pipe's 64 KiB
// buffer (`minik logs -n 1500 | less`). Setting the code lets Node exit once every write is flushed; nothing the
// CLI opens outlives a command (the HTTP agent's idle sockets are unref'd, the auto-started daemon is unref'd).
process.exitCode = await main(process.argv.slice(2));
