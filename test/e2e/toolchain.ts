// Why: the language e2e tests need the system toolchain; CI installs it (scripts/install-tools.sh), and
// where it cannot be had the test is skipped with the reason printed, never silently.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** A sentence naming the missing commands, or null when all are on PATH. */
export function missingTools(commands: string[]): string | null {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const missing = commands.filter((c) => !dirs.some((d) => {
    try {
      accessSync(join(d, c), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  }));
  if (missing.length === 0) return null;
  const reason = `skipped: ${missing.join(', ')} not on PATH (bash scripts/install-tools.sh --test-only installs them)`;
  console.warn(reason);
  return reason;
}
