// Issue 11: add-ons and attachments in SQLite: conflicts name the holder, an app's deletion takes its attachments.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AddonRecord } from '../../../src/core/addons.js';
import { tempStore, type TempStore } from './helpers.js';

const addon = (over: Partial<AddonRecord> = {}): AddonRecord => ({
  name: 'postgresql-shop-1', service: 'heroku-postgresql', plan: 'essential-0', app: 'shop', port: 15400,
  password: 'pw', version: '15', createdAt: '2026-11-30T00:00:00.000Z', ...over,
});

describe('Store.addons', () => {
  let t: TempStore;
  beforeEach(() => {
    t = tempStore();
    t.store.createApp('shop', '/src/shop');
    t.store.createApp('admin', '/src/admin');
  });
  afterEach(() => t.cleanup());

  it('records an add-on with its attachments and keeps them across a reopen', () => {
    t.store.addons.create(addon(), ['DATABASE', 'HEROKU_POSTGRESQL_AQUA']);
    const s = t.reopen();
    expect(s.addons.get('postgresql-shop-1')).toEqual(addon());
    expect(s.addons.attachments({ app: 'shop' }).map((a) => a.name)).toEqual(['DATABASE', 'HEROKU_POSTGRESQL_AQUA']);
  });

  it('refuses a second DATABASE on one app, naming the add-on that holds it', () => {
    t.store.addons.create(addon(), ['DATABASE']);
    t.store.addons.create(addon({ name: 'postgresql-shop-2', port: 15401 }), ['HEROKU_POSTGRESQL_BLACK']);
    expect(() => t.store.addons.attach({ app: 'shop', name: 'DATABASE', addon: 'postgresql-shop-2', createdAt: '' }))
      .toThrow('DATABASE_URL on shop is already attached to postgresql-shop-1');
    t.store.addons.attach({ app: 'admin', name: 'DATABASE', addon: 'postgresql-shop-2', createdAt: '' });
    expect(t.store.addons.attachments({ addon: 'postgresql-shop-2' }).map((a) => a.app)).toEqual(['admin', 'shop']);
  });

  it('refuses a taken name or port, and rolls the whole creation back', () => {
    t.store.addons.create(addon(), ['DATABASE']);
    expect(() => t.store.addons.create(addon({ name: 'postgresql-shop-2' }), ['X'])).toThrow(/port 15400 is already used by the add-on postgresql-shop-1/);
    expect(t.store.addons.getAttachment('shop', 'X')).toBeNull();
    expect(() => t.store.addons.create(addon({ port: 15402 }), [])).toThrow(/already exists/);
  });

  it('deleting an app removes its attachments but not an add-on shared with another app', () => {
    t.store.addons.create(addon(), ['DATABASE']);
    t.store.addons.attach({ app: 'admin', name: 'DATABASE', addon: 'postgresql-shop-1', createdAt: '' });
    t.store.deleteApp('shop');
    expect(t.store.addons.get('postgresql-shop-1')).not.toBeNull();
    expect(t.store.addons.attachments().map((a) => a.app)).toEqual(['admin']);
    t.store.addons.remove('postgresql-shop-1');
    expect(t.store.addons.attachments()).toEqual([]);
  });
});
