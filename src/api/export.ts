// Why: `minik export` asks the daemon for one release of an app as data; the CLI plans and writes the files.
import { validateAppName } from '../core/names.js';
import type { Platform } from '../deploy/platform.js';
import { exportData } from '../export/gather.js';
import { sendJson } from './http.js';
import { parseReleaseVersion } from '../core/limits.js';
import { path, type Route } from './server.js';

/** Export route. */
export function exportRoutes(p: Platform): Route[] {
  return [
    ['GET', path('/apps/:app/export'), async ({ res, params, query }) => {
      const release = query.get('release');
      sendJson(res, 200, await exportData(p.ctx, validateAppName(params[0]!), release === null ? undefined : parseReleaseVersion(release)));
    }],
  ];
}
