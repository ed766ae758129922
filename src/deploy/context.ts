// Why: the handles every deploy stage needs, passed as one value instead of a dozen parameters.
import type { LogHub, Supervisor } from '../supervisor/index.js';
import type { Store } from '../store/index.js';

export interface Settings {
  home: string;
  routerPort: number;
  bootTimeoutMs: number;
  stopTimeoutMs: number;
  /** How many releases keep their slug on disk. */
  keepSlugs: number;
  /** MINIK_BUILD_TIMEOUT: how long a build may take before it is stopped (the buildpacks' default when absent). */
  buildTimeoutMs?: number;
}

/** Where build output goes: the client's stream; the pipeline also copies it to the logs. */
export interface Output {
  log(line: string): void;
}

export interface Context {
  store: Store;
  supervisor: Supervisor;
  logs: LogHub;
  settings: Settings;
  /** app → the release whose web dynos the router sends traffic to. */
  live: Map<string, number>;
  /** Rebuilds the router's table from the current state. */
  syncRoutes(): void;
}

/** Why: build and platform lines reach both the client and `minik logs` as minik[build]. */
export function teeOutput(ctx: Context, app: string, out: Output, process = 'build'): Output {
  return {
    log(line) {
      out.log(line);
      ctx.logs.write(app, 'minik', process, line);
    },
  };
}

/** The app's public URL on the router. */
export function appUrl(settings: Settings, app: string): string {
  return `http://${app}.localhost:${settings.routerPort}`;
}
