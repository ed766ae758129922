import { describe, expect, it } from 'vitest';
import { KeyedMutex } from '../../../src/deploy/lock.js';

describe('KeyedMutex', () => {
  it('runs tasks on one key in order, one at a time, even after a failure', async () => {
    const m = new KeyedMutex();
    const events: string[] = [];
    const task = (name: string, ms: number, fail = false) => () => new Promise<string>((res, rej) => {
      events.push(`start ${name}`);
      setTimeout(() => { events.push(`end ${name}`); fail ? rej(new Error(name)) : res(name); }, ms);
    });
    const a = m.run('app', task('a', 30, true));
    const b = m.run('app', task('b', 5));
    const c = m.run('other', task('c', 1));
    await expect(a).rejects.toThrow('a');
    expect(await b).toBe('b');
    expect(await c).toBe('c');
    expect(events.indexOf('end a')).toBeLessThan(events.indexOf('start b'));
    expect(events.indexOf('start c')).toBeLessThan(events.indexOf('end a'));
    await new Promise((r) => setTimeout(r, 0));
    expect(m.busy('app')).toBe(false);
  });
});
