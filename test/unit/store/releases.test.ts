import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MinikError } from '../../../src/core/errors.js';
import type { ReleaseStatus } from '../../../src/core/types.js';
import { releaseInput, tempStore, type TempStore } from './helpers.js';

let t: TempStore;
beforeEach(() => {
  t = tempStore();
  t.store.createApp('a', '/src/a');
  t.store.createApp('b', '/src/b');
});
afterEach(() => t.cleanup());

describe('releases', () => {
  it('numbers versions from v1 upwards, per app', () => {
    const versions = (app: string) => t.store.createRelease(releaseInput(app)).version;
    expect([versions('a'), versions('a'), versions('a')]).toEqual([1, 2, 3]);
    expect([versions('b'), versions('b')]).toEqual([1, 2]);
    expect(versions('a')).toBe(4);
  });

  it('keeps numbering after failed releases and across a reopen', () => {
    t.store.createRelease(releaseInput('a', { status: 'failed' }));
    t.store.createRelease(releaseInput('a', { status: 'failed' }));
    t.reopen();
    expect(t.store.createRelease(releaseInput('a')).version).toBe(3);
  });

  it('stores every field and returns it unchanged', () => {
    const input = releaseInput('a', {
      slug: '/home/me/.minik/apps/a/slugs/v1',
      config: { DATABASE_URL: 'postgres://u:p@h/db?x=1', MULTI: 'line1\nline2' },
      dotenv: { FROM_DOTENV: 'yes' },
      processTypes: { web: 'node server.js --port $PORT', worker: 'node worker.js' },
      buildpack: 'python',
      description: 'Set MULTI config vars',
      status: 'pending',
    });
    const before = Date.now();
    const created = t.store.createRelease(input);
    expect(created).toEqual({ ...input, version: 1, createdAt: created.createdAt });
    const at = Date.parse(created.createdAt);
    expect(at).toBeGreaterThanOrEqual(before - 1);
    expect(at).toBeLessThanOrEqual(Date.now());
    expect(t.store.getRelease('a', 1)).toEqual(created);
    t.reopen();
    expect(t.store.getRelease('a', 1)).toEqual(created);
  });

  it('lists an app\'s releases newest first', () => {
    for (const d of ['first', 'second', 'third']) t.store.createRelease(releaseInput('a', { description: d }));
    t.store.createRelease(releaseInput('b', { description: 'other app' }));
    expect(t.store.listReleases('a').map((r) => [r.version, r.description])).toEqual([
      [3, 'third'], [2, 'second'], [1, 'first'],
    ]);
    expect(t.store.listReleases('nobody')).toEqual([]);
  });

  it('returns null for a release that does not exist', () => {
    t.store.createRelease(releaseInput('a'));
    expect(t.store.getRelease('a', 2)).toBeNull();
    expect(t.store.getRelease('b', 1)).toBeNull();
  });

  it('updates status and slug of one release only', () => {
    t.store.createRelease(releaseInput('a', { status: 'pending', slug: '/s/1' }));
    t.store.createRelease(releaseInput('a', { status: 'pending', slug: '/s/2' }));
    t.store.setReleaseStatus('a', 1, 'failed');
    t.store.setReleaseSlug('a', 1, null);
    expect(t.store.getRelease('a', 1)).toMatchObject({ status: 'failed', slug: null });
    expect(t.store.getRelease('a', 2)).toMatchObject({ status: 'pending', slug: '/s/2' });
    t.store.setReleaseStatus('a', 2, 'succeeded');
    expect(t.store.getRelease('a', 2)?.status).toBe('succeeded');
  });

  it('rejects updates to a missing release and an unknown status', () => {
    t.store.createRelease(releaseInput('a'));
    expect(() => t.store.setReleaseStatus('a', 9, 'failed')).toThrow("release v9 of app 'a' not found");
    expect(() => t.store.setReleaseSlug('ghost', 1, null)).toThrow("app 'ghost' not found");
    expect(() => t.store.setReleaseStatus('a', 1, 'bogus' as ReleaseStatus)).toThrow(/CHECK constraint failed/);
    expect(t.store.getRelease('a', 1)?.status).toBe('succeeded');
  });

  it('refuses a release for an unknown app', () => {
    let err: unknown;
    try {
      t.store.createRelease(releaseInput('ghost'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MinikError);
    expect((err as MinikError).code).toBe('not_found');
  });

  it('keeps a release\'s config snapshot when config vars change later', () => {
    t.store.setConfig('a', { MODE: 'one' }, []);
    t.store.createRelease(releaseInput('a', { config: t.store.getConfig('a') }));
    t.store.setConfig('a', { MODE: 'two' }, []);
    expect(t.store.getRelease('a', 1)?.config).toEqual({ MODE: 'one' });
    expect(t.store.getConfig('a')).toEqual({ MODE: 'two' });
  });
});

describe('release commits', () => {
  it('keeps the git commit of a release, and none for folder deploys', () => {
    const sha = '3f2a1c4'.padEnd(40, '0');
    t.store.createRelease(releaseInput('a'));
    t.store.createRelease({ ...releaseInput('a'), sourceVersion: sha });
    t.reopen();
    expect(t.store.getRelease('a', 1)!.sourceVersion).toBeUndefined();
    expect(t.store.getRelease('a', 2)!.sourceVersion).toBe(sha);
    expect(() => t.store.createRelease({ ...releaseInput('a'), sourceVersion: 'short' })).toThrow(/CHECK constraint/);
  });
});
