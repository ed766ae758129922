// Why: Heroku's add-on vocabulary as pure functions over data: which service a word names, what an add-on
// and its attachments are called, which URL an app gets. Tested without servers or files. (Which service a
// word names is in core/addons.ts: the CLI needs it too.)
import { SERVICES, type AddonRecord, type AddonService, type AttachmentRecord } from '../core/addons.js';
import { conflict, invalid, MinikError } from '../core/errors.js';

/** Dokku's colour list, in the order minik hands colours out. */
export const COLORS = ['AQUA', 'BLACK', 'BLUE', 'FUCHSIA', 'GRAY', 'GREEN', 'LIME', 'MAROON', 'NAVY', 'OLIVE',
  'PURPLE', 'RED', 'SILVER', 'TEAL', 'WHITE', 'YELLOW'] as const;

const ADDON_NAME = /^[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const ATTACHMENT_NAME = /^[A-Z][A-Z0-9_]{0,58}$/;

/** Checks a --name for an add-on: its data directory and process marker are named after it. */
export function validateAddonName(name: string): string {
  if (!ADDON_NAME.test(name)) {
    throw invalid(`add-on name '${name}' is invalid: use 2-63 lower-case letters, digits and '-', starting with a letter`, 'e.g. --name shop-db');
  }
  return name;
}

/** `--as database` → `DATABASE`; `DATABASE_URL` → `DATABASE` (the var name is always NAME_URL). */
export function normalizeAttachmentName(raw: string): string {
  const name = raw.trim().toUpperCase().replace(/_URL$/, '');
  if (!ATTACHMENT_NAME.test(name)) {
    throw invalid(`attachment name '${raw}' is invalid: use letters, digits and '_', starting with a letter`, 'e.g. --as ANALYTICS_DB');
  }
  return name;
}

/** The next free `postgresql-shop-N` (N counts up from 1 past every name already taken). */
export function nextAddonName(service: AddonService, app: string, taken: readonly string[]): string {
  const prefix = `${SERVICES[service].prefix}-${app}-`;
  let n = 1;
  for (const t of taken) {
    const m = t.startsWith(prefix) ? /^([0-9]+)$/.exec(t.slice(prefix.length)) : null;
    if (m) n = Math.max(n, Number(m[1]) + 1);
  }
  return `${prefix}${n}`;
}

/**
 * The attachment names a new add-on gets on an app: the first Postgres is DATABASE plus its colour, later ones
 * only a colour; the first Redis is REDIS, later ones HEROKU_REDIS_<COLOR>; `--as NAME` gives just NAME.
 */
export function planAttachments(service: AddonService, onApp: readonly AttachmentRecord[], addons: readonly AddonRecord[], as?: string): string[] {
  const names = new Set(onApp.map((a) => a.name));
  if (as !== undefined) return [normalizeAttachmentName(as)];
  const sameService = onApp.some((a) => addons.find((x) => x.name === a.addon)?.service === service);
  const colorPrefix = service === 'heroku-postgresql' ? 'HEROKU_POSTGRESQL_' : 'HEROKU_REDIS_';
  const color = COLORS.find((c) => !names.has(`${colorPrefix}${c}`));
  if (!color) throw conflict(`every ${colorPrefix}<COLOR> attachment name is taken on this app`, 'attach the add-on under a name of your own with --as NAME');
  const colored = `${colorPrefix}${color}`;
  const primary = service === 'heroku-postgresql' ? 'DATABASE' : 'REDIS';
  if (service === 'heroku-postgresql') return sameService || names.has(primary) ? [colored] : [primary, colored];
  return sameService || names.has(primary) ? [colored] : [primary];
}

/** The name an `addons:attach` without --as uses: the primary name if free, else the add-on's next colour. */
export function attachName(addon: AddonRecord, onApp: readonly AttachmentRecord[], as?: string): string {
  if (as !== undefined) return normalizeAttachmentName(as);
  const names = new Set(onApp.map((a) => a.name));
  const primary = addon.service === 'heroku-postgresql' ? 'DATABASE' : 'REDIS';
  if (!names.has(primary)) return primary;
  const prefix = addon.service === 'heroku-postgresql' ? 'HEROKU_POSTGRESQL_' : 'HEROKU_REDIS_';
  const color = COLORS.find((c) => !names.has(`${prefix}${c}`));
  if (!color) throw conflict(`every ${prefix}<COLOR> attachment name is taken on ${addon.app}`, 'pass --as NAME');
  return `${prefix}${color}`;
}

/** The URL an app gets: `postgres://postgres:PASS@127.0.0.1:PORT/postgres`, `redis://:PASS@127.0.0.1:PORT`. */
export function addonUrl(a: Pick<AddonRecord, 'service' | 'port' | 'password'>): string {
  return a.service === 'heroku-postgresql'
    ? `postgres://postgres:${a.password}@127.0.0.1:${a.port}/postgres`
    : `redis://:${a.password}@127.0.0.1:${a.port}`;
}

/** Heroku's confirmation rule for destructive commands: `--confirm APP` must name the app. */
export function checkConfirm(app: string, confirm: string | undefined, what: string): void {
  if (confirm === undefined || confirm === '') {
    throw new MinikError(`this ${what} on ${app} and cannot be undone`, { hint: `To proceed, re-run this command with --confirm ${app}`, code: 'confirm' });
  }
  if (confirm !== app) {
    throw new MinikError(`Confirmation ${confirm} did not match ${app}. Aborted.`, { hint: `re-run this command with --confirm ${app}`, code: 'confirm' });
  }
}

/** A port range `15400-15999` (MINIK_ADDON_PORTS), checked. */
export function parsePortRange(raw: string | undefined): { from: number; to: number } {
  if (raw === undefined || raw === '') return { from: 15400, to: 15999 };
  const m = /^([0-9]{1,5})-([0-9]{1,5})$/.exec(raw.trim());
  const from = Number(m?.[1]);
  const to = Number(m?.[2]);
  if (!m || from < 1024 || to > 65535 || from > to) throw invalid(`MINIK_ADDON_PORTS=${raw} is not a port range like 15400-15999`, 'unset MINIK_ADDON_PORTS or fix its value');
  return { from, to };
}
