// Why: add-on routes (issue 11): thin handlers that parse the request and call one add-ons function.
import { invalid } from '../core/errors.js';
import { validateAppName } from '../core/names.js';
import {
  appBackupFile, appBackups, captureBackup, pgConnection, pgInfo, redisConnection, redisInfo, resetDatabase, restoreBackup, type Addons,
} from '../addons/index.js';
import { readJson, sendJson, streamed, stringField } from './http.js';
import { path, type Route } from './server.js';

/** An optional string field of a body. */
function optional(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalid(`'${key}' must be a string`, 'update the minik CLI to match the daemon');
  return v;
}

/** Add-on routes. */
export function addonRoutes(addons: Addons): Route[] {
  const app = (params: string[]) => validateAppName(params[0]!);
  return [
    ['GET', path('/addons'), ({ res }) => sendJson(res, 200, addons.list())],
    ['GET', path('/addons/:addon'), ({ res, params }) => sendJson(res, 200, addons.info(params[0]!))],
    ['DELETE', path('/addons/:addon'), async ({ req, res, params }) => {
      const body = await readJson(req);
      await streamed(res, (s) => addons.destroy(params[0]!, optional(body, 'confirm'), s));
    }],
    ['GET', path('/apps/:app/addons'), ({ res, params }) => sendJson(res, 200, addons.list(app(params)))],
    ['POST', path('/apps/:app/addons'), async ({ req, res, params }) => {
      const body = await readJson(req);
      const service = stringField(body, 'service');
      const opts = { as: optional(body, 'as'), name: optional(body, 'name'), sourceDir: optional(body, 'sourceDir') };
      await streamed(res, (s) => addons.create(app(params), service, opts, s));
    }],
    ['POST', path('/apps/:app/attachments'), async ({ req, res, params }) => {
      const body = await readJson(req);
      const addon = stringField(body, 'addon');
      await streamed(res, (s) => addons.attach(addon, app(params), optional(body, 'as'), s));
    }],
    ['DELETE', path('/apps/:app/attachments/:name'), async ({ res, params }) => {
      await streamed(res, (s) => addons.detach(app(params), params[1]!, s));
    }],
    ['GET', path('/apps/:app/pg/:db'), async ({ res, params }) => sendJson(res, 200, await pgInfo(addons, app(params), params[1]!))],
    ['GET', path('/apps/:app/pg/:db/connection'), async ({ res, params }) => sendJson(res, 200, await pgConnection(addons, app(params), params[1]!))],
    ['GET', path('/apps/:app/pg/:db/backups'), async ({ res, params }) => sendJson(res, 200, await appBackups(addons, app(params), params[1]!))],
    ['POST', path('/apps/:app/pg/:db/backups'), async ({ res, params }) => {
      await streamed(res, async (s) => ({ backup: await captureBackup(addons, app(params), params[1]!, s) }));
    }],
    ['GET', path('/apps/:app/pg/:db/backups/:id'), async ({ res, params }) => {
      sendJson(res, 200, await appBackupFile(addons, app(params), params[1]!, params[2] === 'latest' ? undefined : params[2]));
    }],
    ['POST', path('/apps/:app/pg/:db/restore'), async ({ req, res, params }) => {
      const body = await readJson(req);
      await streamed(res, async (s) => ({ backup: await restoreBackup(addons, app(params), params[1]!, optional(body, 'backup'), optional(body, 'confirm'), s) }));
    }],
    ['POST', path('/apps/:app/pg/:db/reset'), async ({ req, res, params }) => {
      const body = await readJson(req);
      await streamed(res, async (s) => { await resetDatabase(addons, app(params), params[1]!, optional(body, 'confirm'), s); return {}; });
    }],
    ['GET', path('/apps/:app/redis/:db'), async ({ res, params }) => sendJson(res, 200, await redisInfo(addons, app(params), params[1]!))],
    ['GET', path('/apps/:app/redis/:db/connection'), async ({ res, params }) => sendJson(res, 200, await redisConnection(addons, app(params), params[1]!))],
  ];
}
