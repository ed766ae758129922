// Why: every name that reaches a path, a host or a process comes through these checks first.
import { invalid } from './errors.js';

const APP_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const PROCESS_TYPE = /^[A-Za-z0-9_-]{1,63}$/;
const CONFIG_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DYNO_NAME = /^([A-Za-z0-9_-]{1,63})\.([1-9][0-9]{0,3})$/;

/** Throws unless `name` is a valid app name: lower-case letters, digits and '-', 1–63 characters. */
export function validateAppName(name: string): string {
  if (!APP_NAME.test(name)) {
    throw invalid(
      `app name '${name}' is invalid: use 1-63 lower-case letters, digits and '-', starting and ending with a letter or digit`,
      "pass a valid name with --name, e.g. --name my-app",
    );
  }
  return name;
}

/** The default app name for a folder: its base name, lower-cased and reduced to [a-z0-9-]. */
export function appNameFromDir(dirBaseName: string): string {
  return dirBaseName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/g, '');
}

/** True for a Procfile process type: [A-Za-z0-9_-]{1,63}. */
export function isProcessType(type: string): boolean {
  return PROCESS_TYPE.test(type);
}

/** Throws unless `key` is a valid config var key. */
export function validateConfigKey(key: string): string {
  if (!CONFIG_KEY.test(key)) {
    throw invalid(
      `config var key '${key}' is invalid: use letters, digits and '_', not starting with a digit`,
      'e.g. minik config:set DATABASE_URL=postgres://...',
    );
  }
  return key;
}

/** Splits 'web.2' into its type and index, or returns null when it is not a dyno name. */
export function parseDynoName(name: string): { type: string; index: number } | null {
  const m = DYNO_NAME.exec(name);
  return m ? { type: m[1]!, index: Number(m[2]) } : null;
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Lower-cases a host and strips `:port` and one trailing dot; '' for IPv6 literals and empty hosts. */
export function normalizeHost(host: string): string {
  if (host.charCodeAt(0) === 91 /* '[' */) return '';
  const colon = host.indexOf(':');
  let h = (colon === -1 ? host : host.slice(0, colon)).trim().toLowerCase();
  if (h.endsWith('.')) h = h.slice(0, -1);
  return h;
}

/** A custom domain: a lower-cased hostname of two or more labels, not an IP address; throws naming it otherwise. */
export function validateDomain(arg: string): string {
  const host = String(arg).trim().toLowerCase().replace(/\.$/, '');
  const labels = host.split('.');
  const ok = host.length <= 253 && labels.length >= 2 && labels.every((l) => LABEL.test(l)) && !/^\d+$/.test(labels[labels.length - 1]!);
  if (!ok) {
    throw invalid(`'${arg}' is not a valid hostname`, "use letters, digits, '-' and '.', e.g. api.myapp.localhost or www.example.test");
  }
  return host;
}
