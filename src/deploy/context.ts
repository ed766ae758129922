// Why: the handles every deploy stage needs, passed as one value instead of a dozen parameters.
import type { DynoState } from '../core/types.js';
import type { DynoSpec, DynoUsage, ExitInfo, LogHub, PortAllocator } from '../supervisor/index.js';
import type { Store } from '../store/index.js';

export interface Settings {
  home: string;
  routerPort: number;
  bootTimeoutMs: number;
  stopTimeoutMs: number;
  /** How long a release phase or postdeploy may run (MINIK_RELEASE_TIMEOUT; 1 h as on Heroku). */
  releaseTimeoutMs: number;
  /** How many succeeded releases keep their slug on disk (rollback targets). */
  keepSlugs: number;
  /** MINIK_BUILD_TIMEOUT: how long a build may take before it is stopped (the buildpacks' default when absent). */
  buildTimeoutMs?: number;
  /** The HTTPS router's port (MINIK_HTTPS_PORT, default 7443); null when HTTPS is off or could not listen. */
  httpsPort?: number | null;
}

/** Where build output goes: the client's stream; the pipeline also copies it to the logs. */
export interface Output {
  log(line: string): void;
  /** A deploy's slug is built: from here on it is released even if the client leaves (`up --watch` stops superseding it). */
  built?(): void;
}

/** What deploy code reads of a running dyno (the supervisor's Dyno; a fake in unit tests). */
export interface DynoHandle {
  readonly spec: DynoSpec;
  state: DynoState;
  pid: number | null;
  startTime: number | null;
  /** MINIK_OWNER of the current process, recorded for recovery. */
  marker: string | null;
  restarts: number;
  since: Date;
  nextRestartAt: Date | null;
  waitUp(): Promise<void>;
  waitExit(): Promise<ExitInfo>;
}

/** What deploy code asks of the supervisor (the real Supervisor; a fake in unit tests). */
export interface SupervisorPort {
  /** Dyno ports: startDyno takes one, the dyno gives it back when stopped; a rollout refreshes them when done. */
  readonly ports: Pick<PortAllocator, 'take' | 'release' | 'refresh'>;
  start(spec: DynoSpec): DynoHandle;
  list(app?: string): DynoHandle[];
  stop(dyno: DynoHandle): Promise<void>;
  usage(): Map<string, DynoUsage>;
  on(event: 'change', listener: (d: DynoHandle) => void): unknown;
}

/**
 * Why: what runs is derived from the store (current release + formation); the supervisor's dynos are
 * processes in flight toward it, never a second record of which release is live.
 */
export interface Context {
  store: Store;
  supervisor: SupervisorPort;
  logs: LogHub;
  settings: Settings;
  /** Rebuilds the router's table from the current state. */
  syncRoutes(): void;
  /** Set once the daemon shuts down: no dyno starts after that (a recovery or rollout in flight stops short). */
  closed: boolean;
}

/** Why: build and platform lines reach both the client and `minik logs` as minik[build]. */
export function teeOutput(ctx: Context, app: string, out: Output, process = 'build'): Output {
  return {
    log(line) {
      out.log(line);
      ctx.logs.write(app, 'minik', process, line);
    },
    built: () => out.built?.(),
  };
}

/** The app's public URL on the router. */
export function appUrl(settings: Settings, app: string): string {
  return `http://${app}.localhost:${settings.routerPort}`;
}

/** The app's https URL, or null while HTTPS is off. */
export function appHttpsUrl(settings: Settings, app: string): string | null {
  return settings.httpsPort ? `https://${app}.localhost:${settings.httpsPort}` : null;
}
