// Why: every knob the daemon reads from its environment, parsed and checked in one place.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { invalid } from '../core/errors.js';
import type { Settings } from '../deploy/context.js';
import { dynoPortRange, type PortRange } from '../supervisor/index.js';
import { DEFAULT_BUILD_TIMEOUT_MS } from '../buildpacks/index.js';

/** Settings plus the supervisor's restart back-off. */
export interface DaemonSettings extends Settings {
  backoff: { baseMs: number; capMs: number; resetAfterMs: number };
  /** Where web dyno ports come from: MINIK_DYNO_PORTS=lo-hi, or a range below the kernel's ephemeral one. */
  dynoPorts: PortRange;
  /** MINIK_DASHBOARD_PORT (default 7079), MINIK_AUTOSCALE_INTERVAL (ms, default 60000), MINIK_METRICS_SAMPLE_MS (default 20000). */
  dashboardPort: number;
  autoscaleIntervalMs: number;
  metricsSampleMs: number;
  /** MINIK_HTTPS_PORT (default 7443; `off` → null); main.ts sets null when the port could not be bound. */
  httpsPort: number | null;
}

/** MINIK_HOME, MINIK_PORT, MINIK_BOOT_TIMEOUT (s), MINIK_STOP_TIMEOUT (s), MINIK_RELEASE_TIMEOUT (s), MINIK_BUILD_TIMEOUT (s), MINIK_BACKOFF_BASE_MS / _CAP_MS / _RESET_MS, MINIK_DYNO_PORTS, MINIK_HTTPS_PORT (or off). */
export function settingsFromEnv(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): DaemonSettings {
  // Why: dynos are found, measured and stopped through /proc; elsewhere minik would leak processes silently.
  if (platform !== 'linux') throw invalid(`minik runs on Linux only (this is ${platform}): it reads /proc to find and stop every process a dyno starts`, 'run it in a Linux VM or in WSL 2');
  return {
    home: resolve(env.MINIK_HOME || join(homedir(), '.minik')),
    routerPort: num(env, 'MINIK_PORT', 7080, 1, 65535),
    bootTimeoutMs: num(env, 'MINIK_BOOT_TIMEOUT', 60, 0.1, 3600) * 1000,
    stopTimeoutMs: num(env, 'MINIK_STOP_TIMEOUT', 30, 0, 3600) * 1000,
    releaseTimeoutMs: num(env, 'MINIK_RELEASE_TIMEOUT', 3600, 0.1, 86_400) * 1000,
    keepSlugs: 5,
    buildTimeoutMs: num(env, 'MINIK_BUILD_TIMEOUT', DEFAULT_BUILD_TIMEOUT_MS / 1000, 0.1, 86_400) * 1000,
    backoff: {
      baseMs: num(env, 'MINIK_BACKOFF_BASE_MS', 1000, 1, 3.6e6),
      capMs: num(env, 'MINIK_BACKOFF_CAP_MS', 300_000, 1, 3.6e6),
      resetAfterMs: num(env, 'MINIK_BACKOFF_RESET_MS', 600_000, 1, 8.64e7),
    },
    dynoPorts: dynoPortRange(env.MINIK_DYNO_PORTS),
    dashboardPort: num(env, 'MINIK_DASHBOARD_PORT', 7079, 1, 65535),
    autoscaleIntervalMs: num(env, 'MINIK_AUTOSCALE_INTERVAL', 60_000, 100, 3.6e6),
    metricsSampleMs: num(env, 'MINIK_METRICS_SAMPLE_MS', 20_000, 100, 3.6e6),
    httpsPort: env.MINIK_HTTPS_PORT === 'off' ? null : num(env, 'MINIK_HTTPS_PORT', 7443, 1, 65535),
  };
}

function num(env: NodeJS.ProcessEnv, key: string, def: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) throw invalid(`${key}=${raw} is not a number from ${min} to ${max}`, `unset ${key} or fix its value`);
  return n;
}
