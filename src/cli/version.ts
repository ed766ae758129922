// Why: `minik --version` and `minik daemon status` compare the CLI's version with the daemon's.
import { readFileSync } from 'node:fs';

/** The version in minik's package.json (same path from src/cli and dist/cli). */
export function cliVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
