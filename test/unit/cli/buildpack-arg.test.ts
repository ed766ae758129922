import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildpackArg } from '../../../src/cli/buildpacks.js';

let cwd = '';
beforeAll(async () => {
  cwd = await mkdtemp(path.join(tmpdir(), 'minik-bparg-'));
  await mkdir(path.join(cwd, 'vendor', 'mine'), { recursive: true });
  await mkdir(path.join(cwd, 'go'));
  await mkdir(path.join(cwd, 'heroku', 'nodejs'), { recursive: true });
});
afterAll(() => rm(cwd, { recursive: true, force: true }));

describe('buildpackArg', () => {
  it('makes relative local paths absolute, keeping #ref', () => {
    expect(buildpackArg('./bp.tgz', cwd)).toBe(path.join(cwd, 'bp.tgz'));
    expect(buildpackArg('../bp#v1', cwd)).toBe(`${path.resolve(cwd, '..', 'bp')}#v1`);
    expect(buildpackArg('vendor/mine', cwd)).toBe(path.join(cwd, 'vendor', 'mine'));
  });

  it('leaves URLs, absolute paths and built-in names alone, even when a folder shares the name', () => {
    for (const arg of ['https://x.test/bp.git#v1', 'git@host:o/bp.git', '/opt/bp', 'go', 'heroku/nodejs', 'file:///x']) {
      expect(buildpackArg(arg, cwd)).toBe(arg);
    }
  });
});
