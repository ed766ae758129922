// Why: `minik certs`: where the local CA is (created on first use) and whether the HTTPS router listens.
import type { HttpsStatus } from '../certs/index.js';
import { sendJson } from './http.js';
import { path, type Route } from './server.js';

/** The certs route; `report` is the daemon's HTTPS state. */
export function certRoutes(report: () => Promise<HttpsStatus>): Route[] {
  return [['GET', path('/certs'), async ({ res }) => sendJson(res, 200, await report())]];
}
