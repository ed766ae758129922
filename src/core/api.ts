// Why: the shapes docs/API.md promises, typed once: the daemon's views produce them, the CLI prints them.
import type { DynoState, Formation, ProcessTypes } from './types.js';

/** An app in `GET /apps`. */
export interface AppView {
  name: string; sourceDir: string; url: string; currentRelease: number | null; maintenance: boolean;
  createdAt: string; dynos: { up: number; total: number };
  /** https://NAME.localhost:PORT, or null while HTTPS is off. */
  httpsUrl?: string | null;
}

/** `GET /apps/:app`. */
export interface AppInfo extends AppView {
  buildpack: string | null; processTypes: ProcessTypes; formation: Formation; domains: string[]; stack: string;
  /** The current release's interpreter, "node 20.19.5 (/usr/bin/node)"; null when its buildpack selects none. */
  runtime?: string | null;
  /** Autoscaled process types (web only). */
  autoscale?: Array<{ type: string; min: number; max: number; p95: number }>;
}

/** A dyno in `GET /apps/:app/dynos`. */
export interface DynoView {
  name: string; type: string; state: DynoState; pid: number | null; port: number | null; command: string;
  since: string; restarts: number; release: number; rss: number | null; cpu: number | null; nextRestartAt: string | null;
}

/** A release in `GET /apps/:app/releases`. */
export interface ReleaseView {
  version: number; description: string; status: string; createdAt: string; buildpack: string;
  current: boolean; slugAvailable: boolean;
  /** The full git sha of the commit its slug was built from (git push deploys), else null. */
  commit: string | null;
}

/** One process type's line in `GET /apps/:app/formation`. */
export interface FormationEntry {
  type: string; quantity: number; command: string;
  /** Set when this manual scale turned the type's autoscaling off. */
  autoscaleDisabled?: boolean;
}

/** A release as the stream's done event may carry it: a version number or a release object. */
export type ReleaseRef = number | { version: number } | null | undefined;

/** The version number of a ReleaseRef, or null. */
export function releaseVersion(r: ReleaseRef): number | null {
  if (typeof r === 'number') return r;
  return r && typeof r.version === 'number' ? r.version : null;
}
