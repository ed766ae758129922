// Why: what an export reads (one release of one app, as data) and what it produces (files), shared by the
// daemon side that gathers the data and the CLI side that plans and writes the files.
import { invalid } from '../core/errors.js';
import type { ConfigVars, Formation, ProcessTypes, Runtime } from '../core/types.js';

/** The engines minik exports to, in the order help lists them. */
export const EXPORT_FORMATS = ['k8s', 'compose', 'systemd', 'dockerfile'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The format a user typed, or a MinikError naming the formats there are. */
export function parseFormat(raw: string): ExportFormat {
  if ((EXPORT_FORMATS as readonly string[]).includes(raw)) return raw as ExportFormat;
  throw invalid(`unknown export format '${raw}'`, `use one of: ${EXPORT_FORMATS.join(', ')} (e.g. minik export k8s)`);
}

/** Add-on services an export knows how to provision (Heroku's service names). */
export type AddonService = 'heroku-postgresql' | 'heroku-redis';

/** One add-on of the app: its service, its name, and the config vars it is attached as (`DATABASE` → DATABASE_URL). */
export interface AddonInput {
  service: AddonService;
  /** e.g. postgresql-aqua-1; a DNS label, used as the host name of its service. */
  name: string;
  /** Attachment names, without `_URL`: ['DATABASE', 'HEROKU_POSTGRESQL_AQUA']. */
  attachments: string[];
  /** The password the exported service is created with (stable between exports, see gather.ts). */
  password: string;
}

/** Everything an export needs to know about the app, as the daemon's `GET /apps/:app/export` answers it. */
export interface ExportData {
  app: string;
  release: number;
  buildpack: string;
  processTypes: ProcessTypes;
  /** Quantity per process type of the release (types the formation does not name are 0). */
  formation: Formation;
  /** The dyno environment minus the platform's variables: .env values overridden by config vars. */
  config: ConfigVars;
  /** Custom domains (not APP.localhost). */
  domains: string[];
  addons: AddonInput[];
  /** Absolute path of the release's slug (what `minik` runs), or null when pruned. */
  slug: string | null;
  /** Absolute path of the folder the app was deployed from (the build context of the Dockerfile). */
  sourceDir: string;
  /** Small manifest files of the app (package.json, .python-version, go.mod…) by name; lockfiles with '' content. */
  files: Record<string, string>;
  /** The node version minik builds with (`v20.19.0`), the default when package.json names none. */
  nodeVersion: string;
  /** The interpreter the release was built with (the JDK a JVM buildpack chose), when the release recorded one. */
  runtime?: Runtime | null;
}

/** How to export: the choices the CLI's flags make. */
export interface ExportOptions {
  /** Absolute output folder (unit files name their env file by absolute path). */
  dir: string;
  /** The image the k8s and compose files run; default `APP:vN`. */
  image: string;
  /** true: add-on URLs are left as keys to fill in instead of services minik provisions. */
  externalAddons: boolean;
  /** systemd: the folder the units run the slug from. */
  root: string;
}

/** One file an export writes, relative to its folder; secrets are mode 0o600. */
export interface ExportFile {
  path: string;
  content: string;
  mode: number;
}

/** A planner's answer: files to write, the structured objects (for --json), and the command that applies them. */
export interface ExportPlan {
  files: ExportFile[];
  objects: unknown;
  apply: string;
}

export const PUBLIC_MODE = 0o644;
export const SECRET_MODE = 0o600;
/** The port every exported container and the Dockerfile listen on, as Heroku's docs use. */
export const CONTAINER_PORT = 5000;
/** Heroku's SIGTERM → SIGKILL grace (R12) and web boot limit (R10), in seconds. */
export const STOP_GRACE_SECONDS = 30;
export const BOOT_TIMEOUT_SECONDS = 60;
/** Heroku's release phase limit, in seconds. */
export const RELEASE_TIMEOUT_SECONDS = 3600;
