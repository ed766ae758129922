import { describe, expect, it } from 'vitest';
import { MinikError } from '../../../src/core/errors.js';
import { branchOf, isDelete, parseRefLines, planPush, pushOptions, skipMessage } from '../../../src/git/refs.js';

const Z = '0'.repeat(40);
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const line = (o: string, n: string, r: string) => `${o} ${n} ${r}`;

describe('parseRefLines', () => {
  it('reads one update per line, ignoring blank lines', () => {
    expect(parseRefLines(`${line(Z, A, 'refs/heads/main')}\n\n${line(A, B, 'refs/heads/feature')}\n`)).toEqual([
      { oldOid: Z, newOid: A, ref: 'refs/heads/main' }, { oldOid: A, newOid: B, ref: 'refs/heads/feature' },
    ]);
  });

  it('accepts sha-256 object ids', () => {
    expect(parseRefLines(line('c'.repeat(64), 'd'.repeat(64), 'refs/heads/main'))[0]!.newOid).toBe('d'.repeat(64));
  });

  it('names the line that is not git\'s format', () => {
    const err = (() => { try { parseRefLines(`${line(Z, A, 'refs/heads/main')}\nnot a ref line`); } catch (e) { return e; } })() as MinikError;
    expect(err).toBeInstanceOf(MinikError);
    expect(err.message).toBe("pre-receive input line 2 is not '<old-oid> <new-oid> <ref>': not a ref line");
  });
});

describe('planPush', () => {
  const u = (ref: string, newOid = A, oldOid = Z) => ({ oldOid, newOid, ref });

  it('builds main or master and skips other branches', () => {
    expect(planPush([u('refs/heads/main'), u('refs/heads/feature')])).toEqual({ deploy: u('refs/heads/main'), skipped: ['feature'], ignored: [] });
    expect(planPush([u('refs/heads/master')]).deploy).toEqual(u('refs/heads/master'));
  });

  it('builds main when one push updates main and master', () => {
    expect(planPush([u('refs/heads/master', B), u('refs/heads/main')])).toEqual({ deploy: u('refs/heads/main'), skipped: [], ignored: ['master'] });
  });

  it('only accepts deletions and tags', () => {
    expect(isDelete(u('refs/heads/main', Z, A))).toBe(true);
    expect(planPush([u('refs/heads/main', Z, A), u('refs/tags/v1')])).toEqual({ deploy: null, skipped: [], ignored: [] });
  });

  it('names branches and the way to deploy a skipped one', () => {
    expect(branchOf('refs/heads/fix/login')).toBe('fix/login');
    expect(branchOf('refs/tags/v1')).toBeNull();
    expect(skipMessage('feature')).toBe('Pushed to non-deploy branch feature, skipping build. Deploy it with: git push minik feature:main');
  });
});

describe('pushOptions', () => {
  it('reads GIT_PUSH_OPTION_COUNT and each option', () => {
    expect(pushOptions({ GIT_PUSH_OPTION_COUNT: '3', GIT_PUSH_OPTION_0: 'no-cache', GIT_PUSH_OPTION_1: 'skip-build', GIT_PUSH_OPTION_2: 'x=1' }))
      .toEqual({ noCache: true, skipBuild: true, unknown: ['x=1'] });
  });

  it('is empty without options or with a bad count', () => {
    const none = { noCache: false, skipBuild: false, unknown: [] };
    expect(pushOptions({})).toEqual(none);
    expect(pushOptions({ GIT_PUSH_OPTION_COUNT: 'many' })).toEqual(none);
  });
});
