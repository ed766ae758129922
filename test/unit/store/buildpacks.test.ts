import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempStore, type TempStore } from './helpers.js';

let t: TempStore;
beforeEach(() => {
  t = tempStore();
  t.store.createApp('shop', '/src/shop');
});
afterEach(() => t.cleanup());

describe('app buildpack lists', () => {
  it('keeps the list in order, replaces it whole, and empties it', () => {
    expect(t.store.getBuildpacks('shop')).toEqual([]);
    t.store.setBuildpacks('shop', ['heroku/nodejs', 'https://x.test/bp.git#v1']);
    expect(t.store.getBuildpacks('shop')).toEqual(['heroku/nodejs', 'https://x.test/bp.git#v1']);
    t.store.setBuildpacks('shop', ['https://x.test/bp.git#v1', 'heroku/nodejs']);
    expect(t.store.getBuildpacks('shop')).toEqual(['https://x.test/bp.git#v1', 'heroku/nodejs']);
    t.store.setBuildpacks('shop', []);
    expect(t.store.getBuildpacks('shop')).toEqual([]);
  });

  it('refuses an unknown app and a duplicate URL, leaving the list as it was', () => {
    expect(() => t.store.setBuildpacks('nope', ['go'])).toThrow("app 'nope' not found");
    t.store.setBuildpacks('shop', ['go']);
    expect(() => t.store.setBuildpacks('shop', ['php', 'php'])).toThrow(/UNIQUE/);
    expect(t.store.getBuildpacks('shop')).toEqual(['go']);
  });

  it('goes with the app', () => {
    t.store.setBuildpacks('shop', ['go']);
    t.store.deleteApp('shop');
    t.store.createApp('shop', '/src/shop');
    expect(t.store.getBuildpacks('shop')).toEqual([]);
  });
});
