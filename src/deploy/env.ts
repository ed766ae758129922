// Why: one place decides a dyno's environment: daemon env < .env < config vars < PORT/DYNO/PS.
import { dirname } from 'node:path';
import type { Release } from '../core/types.js';

/** Variables of the daemon's own that must not leak into dynos. */
const DAEMON_ONLY = /^(MINIK_(BACKOFF|BOOT|STOP|BUILD)_|NODE_CHANNEL_FD$)/;

/** The complete environment of a dyno; `node` on PATH is the daemon's real binary, not a version-manager shim. */
export function dynoEnv(base: NodeJS.ProcessEnv, release: Pick<Release, 'dotenv' | 'config'>, dyno: string, port: number | null): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined && !DAEMON_ONLY.test(k)) env[k] = v;
  Object.assign(env, release.dotenv, release.config);
  env.PATH = `${dirname(process.execPath)}:${env.PATH ?? '/usr/local/bin:/usr/bin:/bin'}`;
  if (port !== null) env.PORT = String(port);
  env.DYNO = dyno;
  env.PS = dyno;
  return env;
}
