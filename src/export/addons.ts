// Why: how each add-on service becomes a container in another engine (image, port, data folder, URL),
// declared once for the k8s and compose planners.
import type { AddonInput, AddonService } from './types.js';

export interface AddonRecipe {
  image: string;
  port: number;
  /** Where the service keeps its data (a persistent volume). */
  dataPath: string;
  /** The service's own environment (secrets included), from its password and the app's name. */
  env(addon: AddonInput, app: string): Record<string, string>;
  /** The container's command when the image's default will not do; secrets come from `env`, never from here. */
  command: string[] | null;
  /** The URL the app gets, with the host the engine gives the service. */
  url(addon: AddonInput, host: string, app: string): string;
  /** A command that exits 0 once the service accepts connections. */
  healthcheck: string[];
}

const database = (app: string) => app.replace(/-/g, '_');

/** Postgres and Redis, as Heroku's `heroku-postgresql` and `heroku-redis` provide them. */
export const ADDON_RECIPES: Record<AddonService, AddonRecipe> = {
  'heroku-postgresql': {
    image: 'postgres:17',
    port: 5432,
    dataPath: '/var/lib/postgresql/data',
    // PGDATA one level down: a fresh volume's root may hold lost+found, which initdb refuses.
    env: (a, app) => ({ POSTGRES_USER: 'postgres', POSTGRES_PASSWORD: a.password, POSTGRES_DB: database(app), PGDATA: '/var/lib/postgresql/data/pgdata' }),
    command: null,
    url: (a, host, app) => `postgres://postgres:${encodeURIComponent(a.password)}@${host}:5432/${database(app)}`,
    healthcheck: ['pg_isready', '-U', 'postgres'],
  },
  'heroku-redis': {
    image: 'redis:7',
    port: 6379,
    dataPath: '/data',
    // The password reaches redis-server through the environment (from a Secret or a 0600 env file), never a generated file.
    env: (a) => ({ REDIS_PASSWORD: a.password, REDISCLI_AUTH: a.password }),
    command: ['/bin/sh', '-c', 'exec redis-server --appendonly yes --requirepass "$REDIS_PASSWORD"'],
    url: (a, host) => `redis://:${encodeURIComponent(a.password)}@${host}:6379`,
    healthcheck: ['redis-cli', '--no-auth-warning', 'ping'],
  },
};

/** The config vars an add-on sets: one `NAME_URL` per attachment. */
export function addonUrlVars(addon: AddonInput): string[] {
  return addon.attachments.map((a) => `${a}_URL`);
}
