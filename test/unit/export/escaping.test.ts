// Values and commands reach the process unchanged: the env file read back by /bin/sh (systemd's
// EnvironmentFile= uses the same double-quote rules), and ExecStart= unquoted as systemd does.
import { describe, expect, it } from 'vitest';
import { dynoScript } from '../../../src/export/common.js';
import { envFileText, escapeValue } from '../../../src/export/envfile.js';
import { execArg } from '../../../src/export/systemd.js';
import { TRICKY } from './helpers.js';
import { sourceWithSh, systemdWords } from './systemd-parse.js';

describe('env files', () => {
  it('read back by sh as exactly the values (systemd dialect)', () => {
    const env = sourceWithSh(envFileText('# header\n', TRICKY, 'systemd'));
    for (const [k, v] of Object.entries(TRICKY)) expect(env[k], k).toBe(v);
  });

  it('escape $ as \\$ for Compose, which turns it into its literal $$, and leave backticks alone', () => {
    expect(escapeValue('a$b`c"d\\e', 'compose')).toBe('a\\$b`c\\"d\\\\e');
    expect(escapeValue('a$b`c', 'systemd')).toBe('a\\$b\\`c');
  });

  it('put a fill-in note above an empty add-on URL', () => {
    expect(envFileText('', { DATABASE_URL: '' }, 'systemd', { DATABASE_URL: 'fill in: x' })).toBe('# fill in: x\nDATABASE_URL=""\n');
  });
});

describe('ExecStart', () => {
  it.each([
    'node server.js',
    'node worker.js --queue "default jobs"',
    `echo '100% $HOME \\n "x"' && sleep 1`,
  ])('hands /bin/sh the script byte for byte: %s', (command) => {
    const script = dynoScript(command);
    expect(systemdWords(`/bin/sh -c ${execArg(script)}`)).toEqual(['/bin/sh', '-c', script]);
  });

  it('execs a simple command so the app gets the signals, and runs a compound one as written', () => {
    expect(dynoScript('node server.js')).toMatch(/; exec node server\.js$/);
    expect(dynoScript('npm run migrate && node server.js')).toMatch(/; npm run migrate && node server\.js$/);
  });
});
