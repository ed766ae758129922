// Why: each limit a user can hit is defined once here; the CLI, the API, Platform, the app.json reader
// and the store all call these (the store's CHECK constraints are the last line, not the only one).
import { invalid } from './errors.js';
import type { ConfigVars } from './types.js';

/** The most dynos one process type may be scaled to (the formation table's CHECK says the same). */
export const MAX_QUANTITY = 100;
/** Heroku caps an app's config vars at 32 kB in all. */
export const MAX_CONFIG_BYTES = 32 * 1024;

/** Throws unless `quantity` is a whole number from 0 to MAX_QUANTITY; `where` names it ("scale web", "app.json formation.web.quantity"). */
export function checkQuantity(where: string, quantity: unknown, example: string): number {
  if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 0 || quantity > MAX_QUANTITY) {
    throw invalid(`${where}=${String(quantity)}: the quantity must be a whole number from 0 to ${MAX_QUANTITY}`, `e.g. ${example}`);
  }
  return quantity;
}

/** The size Heroku counts: keys and values in bytes. */
export function configBytes(config: ConfigVars): number {
  let n = 0;
  for (const [k, v] of Object.entries(config)) n += Buffer.byteLength(k) + Buffer.byteLength(v);
  return n;
}

/** Throws when the config an app would have after a change is over 32 kB. */
export function checkConfigSize(config: ConfigVars): void {
  const size = configBytes(config);
  if (size > MAX_CONFIG_BYTES) {
    throw invalid(`config vars would take ${Math.ceil(size / 1024)} kB, over the 32 kB limit (Heroku's)`, 'keep large data in files or an add-on, not in config vars');
  }
}

/** Parses 'v3' or '3' into 3; throws naming the value otherwise. */
export function parseReleaseVersion(raw: string): number {
  const m = /^v?([1-9]\d*)$/i.exec(raw.trim());
  if (!m) throw invalid(`'${raw}' is not a release version`, 'use v3 or 3; see minik releases');
  return Number(m[1]);
}
