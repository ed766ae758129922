import { describe, expect, it } from 'vitest';
import { splitRunArgs } from '../../../src/cli/args.js';
import { normalizeArgs } from '../../../src/cli/root.js';

describe('minik run arguments (everything from the first positional word on is the command)', () => {
  it('puts -- before the command, after minik’s own options', () => {
    expect(normalizeArgs(['run', '-a', 'shop', 'node', '-v'])).toEqual(['run', '-a', 'shop', '--', 'node', '-v']);
    expect(normalizeArgs(['run', 'ls', '-la'])).toEqual(['run', '--', 'ls', '-la']);
    expect(splitRunArgs(['run', '-d', '--app', 'shop', 'worker'])).toEqual(['run', '-d', '--app', 'shop', '--', 'worker']);
    expect(splitRunArgs(['run', '--app=shop', '--detach', 'sh', '-c', 'echo $HOME'])).toEqual(['run', '--app=shop', '--detach', '--', 'sh', '-c', 'echo $HOME']);
  });

  it('keeps an explicit -- and leaves a command-less run (or its --help) to yargs', () => {
    expect(splitRunArgs(['run', '-a', 'shop', '--', 'node', '-v'])).toEqual(['run', '-a', 'shop', '--', 'node', '-v']);
    expect(splitRunArgs(['run', '--help'])).toEqual(['run', '--help']);
    expect(splitRunArgs(['run', '-a', 'shop'])).toEqual(['run', '-a', 'shop']);
  });

  it('does not touch other commands', () => {
    expect(normalizeArgs(['ps', '-a', 'shop', 'web'])).toEqual(['ps', '-a', 'shop', 'web']);
  });
});
