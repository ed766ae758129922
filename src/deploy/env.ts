// Why: one place decides a dyno's environment: base env < .env < config vars < HOME/PORT/DYNO/PS.
import { staticServerPath, withRuntimePath } from '../buildpacks/index.js';
import { baseEnv, withNodeDir } from '../core/env.js';
import type { Release } from '../core/types.js';

/**
 * The complete environment of a dyno. `base` is the daemon's environment, filtered by core's allow-list.
 * MINIK_STATIC_SERVER names the static server of the minik running now, so a static slug built by an
 * older minik (or before Node moved) still runs. The ownership marker (MINIK_OWNER) is added per
 * process by the supervisor. HOME is the folder the dyno runs in (`dir`), as on Heroku where both are
 * /app: two apps must not share the user's ~/.gunicorn, ~/.npm or ~/.cache.
 */
export function dynoEnv(base: NodeJS.ProcessEnv, release: Pick<Release, 'dotenv' | 'config' | 'runtime'>, dyno: string, port: number | null, dir: string): Record<string, string> {
  let env: Record<string, string> = { ...baseEnv(base), ...release.dotenv, ...release.config };
  env.PATH = withNodeDir(env.PATH ?? '');
  env = withRuntimePath(env, release.runtime); // the build's interpreter before the daemon's node
  env.MINIK_STATIC_SERVER = staticServerPath();
  delete env.MINIK_OWNER; // only the supervisor sets it; a config var must not claim another dyno's mark
  env.HOME = dir;
  if (port !== null) env.PORT = String(port);
  env.DYNO = dyno;
  env.PS = dyno;
  return env;
}
