// Why: the domain's nouns, shared by every module; plain data only, no behaviour.

/** Procfile: process type → command. */
export type ProcessTypes = Record<string, string>;
/** Process type → number of dynos wanted. */
export type Formation = Record<string, number>;
/** Config var key → value. */
export type ConfigVars = Record<string, string>;

export type DynoState = 'starting' | 'up' | 'crashed' | 'stopping' | 'down';
export type ReleaseStatus = 'pending' | 'succeeded' | 'failed';

export interface App {
  name: string;
  /** Absolute path of the folder `minik up` deployed from. */
  sourceDir: string;
  createdAt: string;
  maintenance: boolean;
  /** Version of the live release, null before the first successful deploy. */
  currentRelease: number | null;
}

export interface Release {
  app: string;
  version: number;
  /** Absolute path of the slug folder; null when pruned. */
  slug: string | null;
  /** Config vars snapshot (what `minik config` showed when the release was cut). */
  config: ConfigVars;
  /** Variables from the app's `.env`, read at build time; config vars override them. */
  dotenv: ConfigVars;
  processTypes: ProcessTypes;
  buildpack: string;
  description: string;
  status: ReleaseStatus;
  createdAt: string;
  /** The full git sha of a git push deploy (Heroku's SOURCE_VERSION); null for folder deploys. */
  sourceVersion?: string | null;
  /** The interpreter the build selected; its folder comes first on PATH in every dyno of the release. */
  runtime?: Runtime | null;
}

/** A language interpreter: "node", "20.19.5", "/usr/bin/node". */
export interface Runtime {
  language: string;
  version: string;
  executable: string;
}

/** A dyno as persisted, so a restarted daemon can find and stop what an earlier one started. */
export interface DynoRecord {
  app: string;
  /** 'web.1', 'worker.2', 'run.1', 'release.3' */
  name: string;
  type: string;
  release: number;
  pid: number;
  /** Process group id (== pid: each dyno leads its own group). */
  pgid: number;
  /** Start time of pid in clock ticks since boot (/proc/PID/stat field 22), to tell pid reuse apart. */
  startTime: number;
  port: number | null;
  state: DynoState;
  command: string;
  /** ISO time of the last state change. */
  since: string;
  restarts: number;
  /** /proc/sys/kernel/random/boot_id (no dashes) when the process started; '' in records from before. */
  bootId: string;
  /** The MINIK_OWNER value its processes carry; '' in records from before. */
  marker: string;
}

export interface Domain {
  host: string;
  app: string;
}

/** A log line's origin: `app` is the app's own output, `minik` the platform (build, state changes, router, api). */
export type LogSource = 'app' | 'minik';

export interface LogLine {
  /** ISO-like time with microseconds, e.g. 2026-11-23T08:00:00.677020+00:00 */
  time: string;
  source: LogSource;
  /** 'web.1', 'router', 'build', 'api', 'release.2', 'run.1' */
  process: string;
  message: string;
}
