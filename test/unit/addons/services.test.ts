// Issue 11: Heroku's add-on names, attachment names and confirmations, as pure functions.
import { describe, expect, it } from 'vitest';
import { parseService, type AddonRecord, type AttachmentRecord } from '../../../src/core/addons.js';
import { MinikError } from '../../../src/core/errors.js';
import {
  addonUrl, attachName, checkConfirm, nextAddonName, normalizeAttachmentName, parsePortRange, planAttachments, validateAddonName,
} from '../../../src/addons/services.js';

const pg = (name: string, app = 'shop'): AddonRecord => ({ name, service: 'heroku-postgresql', plan: 'essential-0', app, port: 1, password: 'p', version: '15', createdAt: '' });
const redis = (name: string): AddonRecord => ({ ...pg(name), service: 'heroku-redis', version: null });
const att = (name: string, addon: string, app = 'shop'): AttachmentRecord => ({ app, name, addon, createdAt: '' });

function thrown(fn: () => unknown): MinikError {
  try { fn(); } catch (err) { return err as MinikError; }
  throw new Error('did not throw');
}

describe('parseService', () => {
  it('accepts Heroku names, aliases and plans', () => {
    expect(parseService('heroku-postgresql')).toEqual({ service: 'heroku-postgresql', plan: 'essential-0' });
    expect(parseService('postgres').service).toBe('heroku-postgresql');
    expect(parseService('PostgreSQL:standard-0')).toEqual({ service: 'heroku-postgresql', plan: 'standard-0' });
    expect(parseService('redis')).toEqual({ service: 'heroku-redis', plan: 'mini' });
  });
  it('refuses an unknown service in one sentence naming what exists', () => {
    const e = thrown(() => parseService('mongodb'));
    expect(e.message).toBe("unknown add-on service 'mongodb'");
    expect(e.hint).toMatch(/heroku-postgresql.*heroku-redis/);
    expect(e.code).toBe('invalid');
  });
});

describe('names', () => {
  it('counts postgresql-APP-N up past every taken number', () => {
    expect(nextAddonName('heroku-postgresql', 'shop', [])).toBe('postgresql-shop-1');
    expect(nextAddonName('heroku-postgresql', 'shop', ['postgresql-shop-1', 'postgresql-shop-3', 'redis-shop-7'])).toBe('postgresql-shop-4');
    expect(nextAddonName('heroku-redis', 'shop', ['postgresql-shop-1'])).toBe('redis-shop-1');
  });
  it('normalises attachment names and refuses bad ones', () => {
    expect(normalizeAttachmentName('analytics_db')).toBe('ANALYTICS_DB');
    expect(normalizeAttachmentName('DATABASE_URL')).toBe('DATABASE');
    expect(() => normalizeAttachmentName('9lives')).toThrow(/attachment name '9lives' is invalid/);
    expect(() => validateAddonName('Bad Name')).toThrow(/add-on name 'Bad Name' is invalid/);
    expect(validateAddonName('shop-db')).toBe('shop-db');
  });
});

describe('planAttachments', () => {
  it('gives the first Postgres DATABASE and a colour, later ones only a colour', () => {
    expect(planAttachments('heroku-postgresql', [], [])).toEqual(['DATABASE', 'HEROKU_POSTGRESQL_AQUA']);
    const onApp = [att('DATABASE', 'postgresql-shop-1'), att('HEROKU_POSTGRESQL_AQUA', 'postgresql-shop-1')];
    expect(planAttachments('heroku-postgresql', onApp, [pg('postgresql-shop-1')])).toEqual(['HEROKU_POSTGRESQL_BLACK']);
  });
  it('gives Redis REDIS, then HEROKU_REDIS_<COLOR>; --as gives exactly that name', () => {
    expect(planAttachments('heroku-redis', [att('DATABASE', 'postgresql-shop-1')], [pg('postgresql-shop-1')])).toEqual(['REDIS']);
    expect(planAttachments('heroku-redis', [att('REDIS', 'redis-shop-1')], [redis('redis-shop-1')])).toEqual(['HEROKU_REDIS_AQUA']);
    expect(planAttachments('heroku-postgresql', [], [], 'reports')).toEqual(['REPORTS']);
  });
  it('attach: the primary name when free, else the next colour', () => {
    expect(attachName(pg('postgresql-shop-1'), [])).toBe('DATABASE');
    expect(attachName(pg('postgresql-shop-1'), [att('DATABASE', 'x')])).toBe('HEROKU_POSTGRESQL_AQUA');
    expect(attachName(redis('redis-shop-1'), [], 'cache')).toBe('CACHE');
  });
});

describe('urls and confirmations', () => {
  it('builds URLs with user, password and 127.0.0.1', () => {
    expect(addonUrl({ service: 'heroku-postgresql', port: 15400, password: 'pw' })).toBe('postgres://postgres:pw@127.0.0.1:15400/postgres');
    expect(addonUrl({ service: 'heroku-redis', port: 15401, password: 'pw' })).toBe('redis://:pw@127.0.0.1:15401');
  });
  it("uses Heroku's refusal texts", () => {
    const missing = thrown(() => checkConfirm('shop', undefined, 'destroys postgresql-shop-1 and all of its data'));
    expect(missing.message).toBe('this destroys postgresql-shop-1 and all of its data on shop and cannot be undone');
    expect(missing.hint).toBe('To proceed, re-run this command with --confirm shop');
    expect(thrown(() => checkConfirm('shop', 'shpo', 'x')).message).toBe('Confirmation shpo did not match shop. Aborted.');
    expect(() => checkConfirm('shop', 'shop', 'x')).not.toThrow();
  });
  it('parses MINIK_ADDON_PORTS', () => {
    expect(parsePortRange(undefined)).toEqual({ from: 15400, to: 15999 });
    expect(parsePortRange('20000-20010')).toEqual({ from: 20000, to: 20010 });
    expect(() => parsePortRange('80-90')).toThrow(/MINIK_ADDON_PORTS=80-90 is not a port range/);
  });
});
