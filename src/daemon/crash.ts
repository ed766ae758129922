// Why: the daemon supervises every app; one unexpected error in a callback (a store write that fails with
// SQLITE_BUSY or a full disk while a dyno's exit is recorded) must not take every app's router and supervisor
// down with it. Such errors are logged with their stack to daemon.log and the daemon keeps serving.

/** Where a caught error is written: daemon.log is the daemon's stderr. */
export type CrashLog = (text: string) => void;

/** One daemon.log entry for an error nothing else handled: time, what kind, the stack, and that minikd went on. */
export function crashReport(kind: string, err: unknown, now = new Date()): string {
  const detail = err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : `non-error value: ${String(err)}`;
  const code = (err as { code?: unknown } | null)?.code;
  return `${now.toISOString()} minikd: ${kind}${typeof code === 'string' ? ` (${code})` : ''}, kept serving: ${detail}\n`;
}

/** Installs process-wide handlers for uncaught exceptions and unhandled rejections that log and keep serving. */
export function keepServingOnErrors(log: CrashLog = (t) => void process.stderr.write(t)): void {
  process.on('uncaughtException', (err) => log(crashReport('uncaught exception', err)));
  process.on('unhandledRejection', (reason) => log(crashReport('unhandled promise rejection', reason)));
}
