import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../../../src/procfile/index.js';

describe('parseDotenv', () => {
  it('reads plain, quoted and exported values and skips comments', () => {
    const text = [
      '# settings',
      'PLAIN=hello world',
      "SINGLE='a #not a comment'",
      'DOUBLE="x=1 # kept"',
      'export EXPORTED=yes',
      'TRAILING=value # a comment',
      'EMPTY=',
      '',
    ].join('\n');
    expect(parseDotenv(text)).toEqual({
      PLAIN: 'hello world',
      SINGLE: 'a #not a comment',
      DOUBLE: 'x=1 # kept',
      EXPORTED: 'yes',
      TRAILING: 'value',
      EMPTY: '',
    });
  });

  it('keeps multi-line quoted values and expands \\n only in double quotes', () => {
    const text = 'KEY="-----BEGIN-----\nline two\n-----END-----"\nESC="a\\nb"\nRAW=\'a\\nb\'\r\nNEXT=1\r\n';
    expect(parseDotenv(text)).toEqual({
      KEY: '-----BEGIN-----\nline two\n-----END-----',
      ESC: 'a\nb',
      RAW: 'a\\nb',
      NEXT: '1',
    });
  });

  it('returns an empty object for an empty file and prints nothing', () => {
    const writes: unknown[] = [];
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: unknown) => (writes.push(chunk), true)) as typeof process.stdout.write;
    try {
      expect(parseDotenv('')).toEqual({});
      expect(parseDotenv('A=1')).toEqual({ A: '1' });
    } finally {
      process.stdout.write = original;
    }
    expect(writes).toEqual([]);
  });
});
