import { execa } from 'execa';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crashReport } from '../../../src/daemon/crash.js';

const ROOT = resolve(import.meta.dirname, '../../..');

describe('crashReport', () => {
  it('names the kind, the error code and the stack, and says the daemon went on', () => {
    const err = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    const text = crashReport('uncaught exception', err, new Date('2026-11-30T04:00:00Z'));
    expect(text).toMatch(/^2026-11-30T04:00:00\.000Z minikd: uncaught exception \(SQLITE_BUSY\), kept serving: Error: database is locked\n\s+at /);
    expect(text.endsWith('\n')).toBe(true);
    expect(crashReport('unhandled promise rejection', 42, new Date(0))).toBe('1970-01-01T00:00:00.000Z minikd: unhandled promise rejection, kept serving: non-error value: 42\n');
  });
});

describe('keepServingOnErrors', () => {
  it('keeps a process alive through a thrown callback and a rejected promise, logging both', async () => {
    // A real process: vitest installs its own handlers, so the behaviour is checked where Node's defaults apply.
    const script = `
      const { keepServingOnErrors } = await import(${JSON.stringify(resolve(ROOT, 'dist/daemon/crash.js'))});
      keepServingOnErrors();
      setTimeout(() => { throw Object.assign(new Error('disk full'), { code: 'SQLITE_FULL' }); }, 10);
      setTimeout(() => { Promise.reject(new Error('nobody awaited me')); }, 20);
      setTimeout(() => { console.log('still serving'); }, 100);`;
    const r = await execa(process.execPath, ['--input-type=module', '-e', script], { reject: false, timeout: 20_000 });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('still serving');
    expect(r.stderr).toMatch(/minikd: uncaught exception \(SQLITE_FULL\), kept serving: Error: disk full\n\s+at /);
    expect(r.stderr).toMatch(/minikd: unhandled promise rejection, kept serving: Error: nobody awaited me\n\s+at /);
  });
});
