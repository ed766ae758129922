// Why: Heroku-style progress lines ("Scaling dynos... done") on stderr, so stdout stays clean for scripts,
// and streamed output (release phase) can interrupt them without garbling the line.

/** One "Doing something... done" line. */
export class Action {
  private open = false;
  private interrupted = false;

  constructor(
    readonly label: string,
    private readonly err: { write(s: string): unknown } = process.stderr,
    private readonly out: { write(s: string): unknown } = process.stdout,
  ) {}

  /** Writes "label... " and leaves the line open. */
  start(): this {
    this.err.write(`${this.label}... `);
    this.open = true;
    return this;
  }

  /** Prints a streamed line (to stdout), breaking the open progress line first. */
  log(line: string): void {
    if (this.open) this.err.write('\n');
    this.open = false;
    this.interrupted = true;
    this.out.write(`${line}\n`);
  }

  /** Ends the line with "done" (repeating the label if output came in between). */
  done(suffix = ''): void {
    this.finish(`done${suffix}`);
  }

  /** Ends the line with "failed"; the error itself is printed by the CLI root. */
  fail(): void {
    this.finish('failed');
  }

  private finish(word: string): void {
    this.err.write(this.interrupted ? `${this.label}... ${word}\n` : `${word}\n`);
    this.open = false;
    this.interrupted = false;
  }
}

/** Runs `fn` inside an Action; `suffix` turns the result into e.g. ", v4". */
export async function withAction<T>(label: string, fn: (a: Action) => Promise<T>, suffix?: (r: T) => string): Promise<T> {
  const action = new Action(label).start();
  try {
    const result = await fn(action);
    action.done(suffix ? suffix(result) : '');
    return result;
  } catch (err) {
    action.fail();
    throw err;
  }
}
