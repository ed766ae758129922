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

/**
 * Why: a reader that went away (`minik releases | head -n 1`) ends the CLI quietly, as SIGPIPE ends other tools,
 * instead of with an uncaught EPIPE stack. Commands that stream (logs -t, up --watch) add their own handler and stop
 * cleanly themselves; then this one stands aside. Any other stdout error stays fatal, as before.
 */
function onStdoutError(err: NodeJS.ErrnoException): void {
  if (err.code !== 'EPIPE') throw err;
  if (process.stdout.listenerCount('error') > 1) return;
  // eslint-disable-next-line no-restricted-properties -- nothing more can reach the reader; end now
  process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
}
process.stdout.on('error', onStdoutError);

// Why not process.exit(): it ends the process before stdout drains, which cuts piped output at the pipe's 64 KiB
// buffer (`minik logs -n 1500 | less`). Setting the code lets Node exit once every write is flushed; nothing the
// CLI opens outlives a command (the HTTP agent's idle sockets are unref'd, the auto-started daemon is unref'd).
process.exitCode = await main(process.argv.slice(2));
