// Why: one error type carries a user-facing sentence, a hint and an exit code from any layer up to the
// CLI root, which is the only place that prints errors and exits.

/** An expected failure with a one-sentence message and a hint on what to do next. */
export class MinikError extends Error {
  readonly hint?: string;
  readonly exitCode: number;
  /** Machine-readable kind, e.g. 'not_found', 'invalid', 'conflict', 'build_failed'. */
  readonly code: string;

  constructor(message: string, opts: { hint?: string; exitCode?: number; code?: string } = {}) {
    super(message);
    this.name = 'MinikError';
    this.hint = opts.hint;
    this.exitCode = opts.exitCode ?? 1;
    this.code = opts.code ?? 'error';
  }

  /** The JSON shape the API sends and the CLI turns back into a MinikError. */
  toJSON(): { message: string; hint?: string; code: string } {
    return { message: this.message, hint: this.hint, code: this.code };
  }
}

/** Why: API handlers map these codes to HTTP statuses without string matching. */
export const notFound = (message: string, hint?: string) => new MinikError(message, { hint, code: 'not_found' });
export const invalid = (message: string, hint?: string) => new MinikError(message, { hint, code: 'invalid' });
export const conflict = (message: string, hint?: string) => new MinikError(message, { hint, code: 'conflict' });

/** Why: unknown exceptions still need a printable message. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
