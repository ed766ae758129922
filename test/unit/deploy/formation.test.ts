import { describe, expect, it } from 'vitest';
import { defaultFormation, mergeFormation, parseMemory, wantedDynos } from '../../../src/deploy/formation.js';

describe('formation planning', () => {
  it('defaults to web=1 and every other type 0, never release', () => {
    expect(defaultFormation({ web: 'a', worker: 'b', release: 'c' })).toEqual({ web: 1, worker: 0 });
    expect(defaultFormation({ worker: 'b' })).toEqual({ worker: 0 });
  });

  it('lets app.json set first quantities', () => {
    expect(defaultFormation({ web: 'a', worker: 'b' }, { web: 2, worker: 1 })).toEqual({ web: 2, worker: 1 });
  });

  it('keeps chosen quantities, adds new types at 0 and drops removed ones', () => {
    expect(mergeFormation({ web: 3, old: 2 }, { web: 'a', clock: 'c' })).toEqual({ web: 3, clock: 0 });
  });

  it('names dynos web first, then types in order', () => {
    expect(wantedDynos({ worker: 2, web: 2, clock: 1 }, { web: 'a', worker: 'b', clock: 'c' })).toEqual(['web.1', 'web.2', 'clock.1', 'worker.1', 'worker.2']);
    expect(wantedDynos({ web: 1, gone: 2 }, { web: 'a' })).toEqual(['web.1']);
  });

  it('parses memory sizes', () => {
    expect(parseMemory('512M')).toBe(512 * 1024 ** 2);
    expect(parseMemory('1G')).toBe(1024 ** 3);
    expect(parseMemory('300MB')).toBe(300 * 1024 ** 2);
    expect(parseMemory('1048576')).toBe(1048576);
    expect(parseMemory('lots')).toBeNull();
    expect(parseMemory(undefined)).toBeNull();
  });
});
