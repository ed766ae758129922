// Why: the CLI root prints errors, and `up --watch` shows a failed redeploy the same way without exiting.
import { MinikError } from '../core/errors.js';
import type { Palette } from './color.js';

/** `minik: <message>` and, for a MinikError with a hint, `hint: <hint>` (dim); the stack only when debugging. */
export function formatError(err: unknown, p: Palette, debug = false): string {
  const message = err instanceof Error ? err.message : String(err);
  const lines = [`minik: ${message}`];
  if (err instanceof MinikError && err.hint) lines.push(p.dim(`hint: ${err.hint}`));
  if (debug && err instanceof Error && err.stack) lines.push(p.dim(err.stack));
  return lines.join('\n');
}

/** The exit code for an error: a MinikError's own, else 1. */
export function exitCodeOf(err: unknown): number {
  return err instanceof MinikError ? err.exitCode : 1;
}
