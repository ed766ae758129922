import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkHome, homeProblem } from '../../../src/core/home.js';

describe('homeProblem (who may trust MINIK_HOME)', () => {
  it('accepts the user\'s own folder closed to others, readable or not', () => {
    for (const mode of [0o700, 0o755, 0o750, 0o40700]) expect(homeProblem('/h', { uid: 501, mode }, 501)).toBeNull();
  });

  it('refuses a folder another user owns, even for root', () => {
    const err = homeProblem('/h', { uid: 501, mode: 0o700 }, 0)!;
    expect(err.message).toBe('MINIK_HOME /h belongs to another user (uid 501, you are uid 0), so minik will not trust the daemon socket or the data in it');
    expect(err.hint).toContain('chmod 700 /h');
    expect(err.code).toBe('unsafe_home');
  });

  it('refuses a folder its group or anyone may write to, and says which', () => {
    expect(homeProblem('/h', { uid: 5, mode: 0o40777 }, 5)!.message).toBe('MINIK_HOME /h can be written by any user (mode 777), so another user could replace the daemon socket or the data in it');
    expect(homeProblem('/h', { uid: 5, mode: 0o720 }, 5)!.message).toMatch(/^MINIK_HOME \/h can be written by its group \(mode 720\)/);
    expect(homeProblem('/h', { uid: 5, mode: 0o702 }, 5)!.hint).toBe('chmod 700 /h');
  });
});

describe('checkHome', () => {
  const dir = mkdtempSync(join(tmpdir(), 'minik-home-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes a missing home (it is created 0700 later) and a 0700 one, and throws for a 0777 one', () => {
    expect(() => checkHome(join(dir, 'missing'))).not.toThrow();
    chmodSync(dir, 0o700);
    expect(() => checkHome(dir)).not.toThrow();
    chmodSync(dir, 0o777);
    expect(() => checkHome(dir)).toThrow(/can be written by any user \(mode 777\)/);
    chmodSync(dir, 0o700);
  });
});
