import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { caught, tempStore, type TempStore } from './helpers.js';

let t: TempStore;
beforeEach(() => {
  t = tempStore();
  t.store.createApp('app', '/src/app');
  t.store.createApp('other', '/src/other');
});
afterEach(() => t.cleanup());

const TRICKY = {
  EMPTY: '',
  SPACES: '  leading and trailing  ',
  QUOTES: `"double" and 'single' and \`back\``,
  EQUALS: 'a=b==c=',
  NEWLINES: 'line1\nline2\r\nline3\n',
  UNICODE: 'héllo 日本語 🚀 \u00a0nbsp',
  SHELL: '$HOME ${PATH} $(whoami) `id` ; rm -rf / #comment',
  BACKSLASH: 'C:\\path\\n\\t',
  JSON_LIKE: '{"a": [1, 2, null]}',
  NUL: 'before\u0000after',
};

describe('config vars', () => {
  it('round-trips tricky values byte for byte, also after a reopen', () => {
    const returned = t.store.setConfig('app', TRICKY, []);
    expect(returned).toEqual(TRICKY);
    expect(t.store.getConfig('app')).toEqual(TRICKY);
    t.reopen();
    const back = t.store.getConfig('app');
    expect(back).toEqual(TRICKY);
    for (const [k, v] of Object.entries(TRICKY)) expect(Buffer.from(back[k]!)).toEqual(Buffer.from(v));
  });

  it('keeps a key named __proto__ as an ordinary key', () => {
    const set = JSON.parse('{"__proto__": "p", "A": "1"}') as Record<string, string>;
    const config = t.store.setConfig('app', set, []);
    expect(Object.keys(config).sort()).toEqual(['A', '__proto__']);
    expect(Object.getOwnPropertyDescriptor(config, '__proto__')?.value).toBe('p');
  });

  it('sets and unsets together and returns the full new config', () => {
    t.store.setConfig('app', { A: '1', B: '2', C: '3' }, []);
    const next = t.store.setConfig('app', { A: 'one', D: '4' }, ['B', 'NOT_THERE']);
    expect(next).toEqual({ A: 'one', C: '3', D: '4' });
    expect(t.store.getConfig('app')).toEqual(next);
    expect(t.store.getConfig('other')).toEqual({});
  });

  it('applies nothing when any part of the change is invalid', () => {
    t.store.setConfig('app', { A: '1', B: '2' }, []);
    const badKey = caught(() => t.store.setConfig('app', { C: '3', '1BAD': 'x' }, ['A']));
    expect(badKey.code).toBe('invalid');
    expect(badKey.message).toContain("'1BAD'");
    const both = caught(() => t.store.setConfig('app', { B: 'new' }, ['A', 'B']));
    expect(both.message).toBe("config var 'B' is both set and unset");
    const notString = caught(() => t.store.setConfig('app', { C: 3 as unknown as string }, []));
    expect(notString.message).toBe("config var 'C' must be a string, not number");
    expect(t.store.getConfig('app')).toEqual({ A: '1', B: '2' });
  });

  it('rolls back a set+unset that fails inside a larger transaction', () => {
    t.store.setConfig('app', { A: '1', B: '2' }, []);
    expect(() =>
      t.store.transaction(() => {
        t.store.setConfig('app', { C: '3' }, ['A']);
        t.store.setConfig('ghost', { X: '1' }, []); // unknown app: throws after the first change
      }),
    ).toThrow("app 'ghost' not found");
    expect(t.store.getConfig('app')).toEqual({ A: '1', B: '2' });
  });

  it('refuses an unknown app and reads an unknown app as empty', () => {
    expect(caught(() => t.store.setConfig('ghost', { A: '1' }, [])).code).toBe('not_found');
    expect(t.store.getConfig('ghost')).toEqual({});
  });
});
