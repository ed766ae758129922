import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_QUANTITY } from '../../../src/core/limits.js';
import { caught, tempStore, type TempStore } from './helpers.js';

let t: TempStore;
beforeEach(() => {
  t = tempStore();
  t.store.createApp('app', '/src/app');
  t.store.createApp('other', '/src/other');
});
afterEach(() => t.cleanup());

describe('formation', () => {
  it('is empty for a new app', () => {
    expect(t.store.getFormation('app')).toEqual({});
  });

  it('merges: given types are upserted, others untouched, 0 kept', () => {
    t.store.setFormation('app', { web: 1, worker: 2 });
    t.store.setFormation('app', { web: 3, clock: 1 });
    expect(t.store.getFormation('app')).toEqual({ web: 3, worker: 2, clock: 1 });
    t.store.setFormation('app', { worker: 0 });
    expect(t.store.getFormation('app')).toEqual({ web: 3, worker: 0, clock: 1 });
    t.store.setFormation('app', {});
    expect(t.store.getFormation('app')).toEqual({ web: 3, worker: 0, clock: 1 });
    expect(t.store.getFormation('other')).toEqual({});
  });

  it('accepts the bounds 0 and MAX_QUANTITY', () => {
    t.store.setFormation('app', { web: MAX_QUANTITY, worker: 0 });
    expect(t.store.getFormation('app')).toEqual({ web: 100, worker: 0 });
  });

  it('rejects bad quantities and types, changing nothing', () => {
    t.store.setFormation('app', { web: 1 });
    for (const quantity of [-1, 101, 1.5, Number.NaN]) {
      const err = caught(() => t.store.setFormation('app', { web: 2, worker: quantity }));
      expect(err.code).toBe('invalid');
      expect(err.message).toBe(`scale worker=${quantity}: the quantity must be a whole number from 0 to 100`);
    }
    const badType = caught(() => t.store.setFormation('app', { web: 2, 'we b': 1 }));
    expect(badType.message).toContain("process type 'we b' is invalid");
    expect(t.store.getFormation('app')).toEqual({ web: 1 });
  });

  it('refuses an unknown app', () => {
    expect(caught(() => t.store.setFormation('ghost', { web: 1 })).code).toBe('not_found');
  });

  it('persists across a reopen', () => {
    t.store.setFormation('app', { web: 2, worker: 0 });
    t.reopen();
    expect(t.store.getFormation('app')).toEqual({ web: 2, worker: 0 });
  });
});
