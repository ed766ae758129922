import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { caught, tempStore, type TempStore } from './helpers.js';

let t: TempStore;
beforeEach(() => {
  t = tempStore();
  t.store.createApp('shop', '/src/shop');
  t.store.createApp('blog', '/src/blog');
});
afterEach(() => t.cleanup());

describe('domains', () => {
  it('stores hosts lower-cased and lists them per app or all', () => {
    t.store.addDomain('WWW.Shop.Example.TEST', 'shop');
    t.store.addDomain('api.shop.test', 'shop');
    t.store.addDomain('blog.test', 'blog');
    expect(t.store.listDomains('shop')).toEqual([
      { host: 'api.shop.test', app: 'shop' },
      { host: 'www.shop.example.test', app: 'shop' },
    ]);
    expect(t.store.listDomains()).toEqual([
      { host: 'blog.test', app: 'blog' },
      { host: 'api.shop.test', app: 'shop' },
      { host: 'www.shop.example.test', app: 'shop' },
    ]);
  });

  it('adding a host again to the same app is a no-op', () => {
    t.store.addDomain('shop.test', 'shop');
    t.store.addDomain('SHOP.test', 'shop');
    expect(t.store.listDomains()).toEqual([{ host: 'shop.test', app: 'shop' }]);
  });

  it('refuses a host another app has, naming host and owner', () => {
    t.store.addDomain('shared.test', 'shop');
    const err = caught(() => t.store.addDomain('Shared.Test', 'blog'));
    expect(err.code).toBe('conflict');
    expect(err.message).toBe("domain 'shared.test' is already used by app 'shop'");
    expect(err.hint).toBe('remove it there first: minik domains:remove shared.test --app shop');
    expect(t.store.listDomains()).toEqual([{ host: 'shared.test', app: 'shop' }]);
  });

  it('removes a host case-insensitively; a missing host is notFound', () => {
    t.store.addDomain('gone.test', 'blog');
    t.store.removeDomain('GONE.test');
    expect(t.store.listDomains()).toEqual([]);
    const err = caught(() => t.store.removeDomain('gone.test'));
    expect(err.code).toBe('not_found');
    expect(err.message).toBe("domain 'gone.test' not found");
    t.store.addDomain('gone.test', 'shop'); // free for another app now
    expect(t.store.listDomains('shop')).toEqual([{ host: 'gone.test', app: 'shop' }]);
  });

  it('refuses an unknown app and an empty host', () => {
    expect(caught(() => t.store.addDomain('x.test', 'ghost')).code).toBe('not_found');
    expect(caught(() => t.store.addDomain('  ', 'shop')).code).toBe('invalid');
    expect(t.store.listDomains()).toEqual([]);
  });
});
