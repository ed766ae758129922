// Why: every knob the daemon reads from its environment, parsed and checked in one place.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { invalid } from '../core/errors.js';
import type { Settings } from '../deploy/context.js';
import { DEFAULT_BUILD_TIMEOUT_MS } from '../buildpacks/index.js';

/** Settings plus the supervisor's restart back-off. */
export interface DaemonSettings extends Settings {
  backoff: { baseMs: number; capMs: number; resetAfterMs: number };
}

/** MINIK_HOME, MINIK_PORT, MINIK_BOOT_TIMEOUT (s), MINIK_STOP_TIMEOUT (s), MINIK_BUILD_TIMEOUT (s), MINIK_BACKOFF_BASE_MS / _CAP_MS / _RESET_MS. */
export function settingsFromEnv(env: NodeJS.ProcessEnv): DaemonSettings {
  return {
    home: resolve(env.MINIK_HOME || join(homedir(), '.minik')),
    routerPort: num(env, 'MINIK_PORT', 7080, 1, 65535),
    bootTimeoutMs: num(env, 'MINIK_BOOT_TIMEOUT', 60, 0.1, 3600) * 1000,
    stopTimeoutMs: num(env, 'MINIK_STOP_TIMEOUT', 30, 0, 3600) * 1000,
    keepSlugs: 5,
    buildTimeoutMs: num(env, 'MINIK_BUILD_TIMEOUT', DEFAULT_BUILD_TIMEOUT_MS / 1000, 0.1, 86_400) * 1000,
    backoff: {
      baseMs: num(env, 'MINIK_BACKOFF_BASE_MS', 1000, 1, 3.6e6),
      capMs: num(env, 'MINIK_BACKOFF_CAP_MS', 300_000, 1, 3.6e6),
      resetAfterMs: num(env, 'MINIK_BACKOFF_RESET_MS', 600_000, 1, 8.64e7),
    },
  };
}

function num(env: NodeJS.ProcessEnv, key: string, def: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) throw invalid(`${key}=${raw} is not a number from ${min} to ${max}`, `unset ${key} or fix its value`);
  return n;
}
