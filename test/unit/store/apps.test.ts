import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { caught, dyno, releaseInput, tempStore, type TempStore } from './helpers.js';

let t: TempStore;
beforeEach(() => {
  t = tempStore();
});
afterEach(() => t.cleanup());

describe('apps', () => {
  it('creates an app with no release and maintenance off', () => {
    const app = t.store.createApp('my-app', '/home/me/my-app');
    expect(app).toEqual({
      name: 'my-app', sourceDir: '/home/me/my-app', createdAt: app.createdAt, maintenance: false, currentRelease: null,
    });
    expect(new Date(app.createdAt).toISOString()).toBe(app.createdAt);
    expect(t.store.getApp('my-app')).toEqual(app);
  });

  it('refuses a duplicate name with a conflict', () => {
    t.store.createApp('dup', '/a');
    const err = caught(() => t.store.createApp('dup', '/b'));
    expect(err.code).toBe('conflict');
    expect(err.message).toBe("app 'dup' already exists");
    expect(t.store.requireApp('dup').sourceDir).toBe('/a');
  });

  it('refuses an invalid name', () => {
    expect(caught(() => t.store.createApp('Bad_Name', '/a')).code).toBe('invalid');
    expect(t.store.listApps()).toEqual([]);
  });

  it('getApp returns null and requireApp throws notFound with a hint', () => {
    expect(t.store.getApp('ghost')).toBeNull();
    const err = caught(() => t.store.requireApp('ghost'));
    expect(err.code).toBe('not_found');
    expect(err.message).toBe("app 'ghost' not found");
    expect(err.hint).toBe("run 'minik apps' to list apps, or 'minik up' to create one");
  });

  it('lists apps by name', () => {
    t.store.createApp('zeta', '/z');
    t.store.createApp('alpha', '/a');
    t.store.createApp('mid', '/m');
    expect(t.store.listApps().map((a) => a.name)).toEqual(['alpha', 'mid', 'zeta']);
  });

  it('finds an app by its exact source folder', () => {
    t.store.createApp('one', '/projects/one');
    t.store.createApp('two', '/projects/two');
    expect(t.store.findAppBySourceDir('/projects/two')?.name).toBe('two');
    expect(t.store.findAppBySourceDir('/projects/one')?.name).toBe('one');
    expect(t.store.findAppBySourceDir('/projects')).toBeNull();
    expect(t.store.findAppBySourceDir('/projects/one/')).toBeNull();
  });

  it('toggles maintenance', () => {
    t.store.createApp('maint', '/m');
    t.store.setMaintenance('maint', true);
    expect(t.store.requireApp('maint').maintenance).toBe(true);
    t.store.setMaintenance('maint', false);
    expect(t.store.requireApp('maint').maintenance).toBe(false);
    expect(caught(() => t.store.setMaintenance('ghost', true)).code).toBe('not_found');
  });

  it('sets the current release only to a release that exists', () => {
    t.store.createApp('cur', '/c');
    t.store.createRelease(releaseInput('cur'));
    t.store.createRelease(releaseInput('cur'));
    t.store.setCurrentRelease('cur', 2);
    expect(t.store.requireApp('cur').currentRelease).toBe(2);
    t.store.setCurrentRelease('cur', 1);
    expect(t.store.requireApp('cur').currentRelease).toBe(1);
    const err = caught(() => t.store.setCurrentRelease('cur', 3));
    expect(err.message).toBe("release v3 of app 'cur' not found");
    expect(t.store.requireApp('cur').currentRelease).toBe(1);
    expect(caught(() => t.store.setCurrentRelease('ghost', 1)).message).toBe("app 'ghost' not found");
  });

  it('deleting an app cascades to everything it owns, and only that', () => {
    for (const name of ['doomed', 'keeper']) {
      t.store.createApp(name, `/src/${name}`);
      t.store.createRelease(releaseInput(name));
      t.store.setConfig(name, { KEY: name }, []);
      t.store.setFormation(name, { web: 1 });
      t.store.upsertDyno(dyno(name, 'web.1'));
      t.store.addDomain(`${name}.example.test`, name);
    }
    t.store.deleteApp('doomed');

    expect(t.store.getApp('doomed')).toBeNull();
    expect(t.store.listReleases('doomed')).toEqual([]);
    expect(t.store.getConfig('doomed')).toEqual({});
    expect(t.store.getFormation('doomed')).toEqual({});
    expect(t.store.listDynos('doomed')).toEqual([]);
    expect(t.store.listDomains('doomed')).toEqual([]);

    expect(t.store.listReleases('keeper')).toHaveLength(1);
    expect(t.store.getConfig('keeper')).toEqual({ KEY: 'keeper' });
    expect(t.store.getFormation('keeper')).toEqual({ web: 1 });
    expect(t.store.listDynos().map((d) => `${d.app}/${d.name}`)).toEqual(['keeper/web.1']);
    expect(t.store.listDomains()).toEqual([{ host: 'keeper.example.test', app: 'keeper' }]);

    // the name and the domain are free again, and versions restart at v1
    t.store.createApp('doomed', '/src/doomed-again');
    t.store.addDomain('doomed.example.test', 'doomed');
    expect(t.store.createRelease(releaseInput('doomed')).version).toBe(1);
  });

  it('deleting an unknown app throws notFound', () => {
    expect(caught(() => t.store.deleteApp('ghost')).message).toBe("app 'ghost' not found");
  });
});
