// Why: the add-on nouns (an add-on, its attachments to apps) and the services' names, shared by the store,
// src/addons and the CLI.
import { invalid } from './errors.js';

/** The services minik runs locally. */
export type AddonService = 'heroku-postgresql' | 'heroku-redis';

/** A provisioned add-on: one server with its own data directory, port and password. */
export interface AddonRecord {
  /** `postgresql-shop-1`, `redis-shop-1`, or the --name given. */
  name: string;
  service: AddonService;
  plan: string;
  /** The app the add-on was created on (Heroku's billing app); it moves when that app is destroyed. */
  app: string;
  /** The TCP port on 127.0.0.1, fixed for the add-on's life (its URL is in config vars). */
  port: number;
  password: string;
  /** Postgres: the major version that made the data directory ("15"); null for Redis. */
  version: string | null;
  createdAt: string;
}

/** An add-on attached to an app as NAME, which sets the config var NAME_URL. */
export interface AttachmentRecord {
  app: string;
  /** `DATABASE`, `HEROKU_POSTGRESQL_AQUA`, `REDIS`, or the --as given. */
  name: string;
  addon: string;
  createdAt: string;
}

/** An add-on server's life, as `minik ps` and `minik addons` show it. */
export type AddonState = 'starting' | 'up' | 'crashed' | 'stopping' | 'down';

/** An add-on as the API returns it. */
export interface AddonView {
  name: string;
  service: AddonService;
  plan: string;
  app: string;
  state: AddonState;
  port: number;
  pid: number | null;
  since: string | null;
  restarts: number;
  version: string | null;
  createdAt: string;
  attachments: { app: string; name: string }[];
}

/** A pg:backups entry. */
export interface BackupView {
  id: string;
  addon: string;
  size: number;
  createdAt: string;
}

/** What each service is called: its add-on name prefix, default plan, URL scheme and log process. */
export const SERVICES: Record<AddonService, { prefix: string; plan: string; scheme: string; process: string }> = {
  'heroku-postgresql': { prefix: 'postgresql', plan: 'essential-0', scheme: 'postgres', process: 'postgres' },
  'heroku-redis': { prefix: 'redis', plan: 'mini', scheme: 'redis', process: 'redis' },
};

const ALIASES: Record<string, AddonService> = {
  'heroku-postgresql': 'heroku-postgresql', postgres: 'heroku-postgresql', postgresql: 'heroku-postgresql',
  'heroku-redis': 'heroku-redis', redis: 'heroku-redis',
};

/** `heroku-postgresql:essential-0`, `postgres`, `redis` → the service and plan; one sentence listing the services otherwise. */
export function parseService(spec: string): { service: AddonService; plan: string } {
  const [word = '', plan] = spec.trim().toLowerCase().split(':');
  const service = ALIASES[word];
  if (!service) {
    throw invalid(`unknown add-on service '${spec}'`, 'minik runs heroku-postgresql (also postgres, postgresql) and heroku-redis (also redis), e.g. minik addons:create heroku-postgresql');
  }
  return { service, plan: plan || SERVICES[service].plan };
}

