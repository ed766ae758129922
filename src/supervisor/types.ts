// Why: the supervisor's data shapes, shared by the Dyno, the Supervisor and their callers.
import type { Dyno } from './dyno.js';
import type { LogHub } from './logs.js';
import type { PortAllocator } from './ports.js';

/** Why: everything needed to run (and re-run) one dyno; the daemon builds it from a release. */
export interface DynoSpec {
  app: string;
  /** 'web.1', 'worker.2', 'run.1', 'release.3' */
  name: string;
  type: string;
  release: number;
  /** Run as /bin/sh -c, after sourcing .profile and .profile.d/*.sh in cwd if present. */
  command: string;
  /** The slug folder. */
  cwd: string;
  /** Complete environment: base env + .env + config + PORT/DYNO/PS; MINIK_OWNER is added per process. */
  env: Record<string, string>;
  /** Web dynos: readiness = this port accepts TCP connections. Taken from the Supervisor's ports; a restart takes a fresh one. */
  port: number | null;
  /** False for one-off and release dynos. */
  restart: boolean;
  /** R10 for web dynos (those with a port). */
  bootTimeoutMs: number;
  /** SIGTERM → grace → SIGKILL (R12). */
  stopTimeoutMs: number;
  /** R14 above, R15 (restart) above twice. */
  memoryLimitBytes?: number;
}

/** Why: crash restarts back off exponentially; tests and the daemon tune these. */
export interface BackoffOptions {
  /** First restart delay (default 1000 ms); doubles on every crash. */
  baseMs: number;
  /** Longest delay (default 5 minutes). */
  capMs: number;
  /** A run that stayed up this long resets the delay to baseMs (default 10 minutes). */
  resetAfterMs: number;
}

/** Why: the defaults named once. */
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, capMs: 5 * 60_000, resetAfterMs: 10 * 60_000 };

/** Why: RSS in bytes and CPU in percent of one core, summed over a dyno's process group. */
export interface DynoUsage {
  rss: number;
  cpu: number;
}

/** Why: what a Dyno needs from the Supervisor that owns it. */
export interface DynoDeps {
  logs: LogHub;
  backoff: BackoffOptions;
  /** Dynos without a port are 'up' after this long alive. */
  upAfterMs: number;
  /** Called on every state, pid, port, restart-count or nextRestartAt change. */
  onChange(dyno: Dyno): void;
  /** A fresh MINIK_OWNER value for each process the dyno starts. */
  newMarker(spec: DynoSpec): string;
  ports: PortAllocator;
}
