import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  applyScale, joinCommand, parseConfigPairs, parseLineCount, parseReleaseVersion, parseScaleArgs, parseTarget, shellQuote, validateHost,
} from '../../../src/cli/args.js';
import { MinikError } from '../../../src/core/errors.js';

function errorOf(fn: () => unknown): MinikError {
  try {
    fn();
  } catch (err) {
    if (err instanceof MinikError) return err;
    throw err;
  }
  throw new Error('expected a MinikError');
}

describe('scale arguments', () => {
  it('parses TYPE=N, TYPE+N and TYPE-N, including types with dashes', () => {
    expect(parseScaleArgs(['web=3', 'worker=0', 'my-worker+2', 'clock-1'])).toEqual([
      { type: 'web', op: '=', n: 3 }, { type: 'worker', op: '=', n: 0 },
      { type: 'my-worker', op: '+', n: 2 }, { type: 'clock', op: '-', n: 1 },
    ]);
    expect(parseScaleArgs(['web=100'])).toEqual([{ type: 'web', op: '=', n: 100 }]);
    expect(parseScaleArgs([])).toEqual([]);
  });

  it('names the bad argument', () => {
    expect(errorOf(() => parseScaleArgs(['web=abc'])).message).toBe("'web=abc': the quantity must be a whole number from 0 to 100");
    expect(errorOf(() => parseScaleArgs(['web=101'])).message).toBe("'web=101': the quantity must be a whole number from 0 to 100");
    expect(errorOf(() => parseScaleArgs(['web=-1'])).message).toContain("'web=-1'");
    expect(errorOf(() => parseScaleArgs(['web=1.5'])).message).toContain("'web=1.5'");
    expect(errorOf(() => parseScaleArgs(['web=2:standard-1x'])).message).toContain("'web=2:standard-1x'");
    expect(errorOf(() => parseScaleArgs(['web'])).message).toBe("'web' is not TYPE=N (TYPE: letters, digits, '-' and '_'; N: 0 to 100)");
    expect(errorOf(() => parseScaleArgs(['we b=1'])).message).toContain("'we b=1' is not TYPE=N");
    expect(errorOf(() => parseScaleArgs(['=1'])).code).toBe('invalid');
    expect(errorOf(() => parseScaleArgs(['web=1', 'web=2'])).message).toBe("'web=2': process type 'web' is given twice");
    expect(errorOf(() => parseScaleArgs(['web=x'])).hint).toBe('e.g. minik scale web=2 worker=1');
  });

  it('turns relative changes into absolute quantities and keeps them in range', () => {
    const changes = parseScaleArgs(['web+2', 'worker-1', 'clock=0']);
    expect(applyScale(changes, { web: 1, worker: 3 })).toEqual({ web: 3, worker: 2, clock: 0 });
    expect(errorOf(() => applyScale(parseScaleArgs(['web-2']), { web: 1 })).message).toBe('web-2 would make -1 web dynos');
    expect(errorOf(() => applyScale(parseScaleArgs(['web+1']), { web: 100 })).message).toBe('web+1 would make 101 web dynos');
  });
});

describe('config:set arguments', () => {
  it('splits on the first = and keeps values byte for byte', () => {
    expect(parseConfigPairs(['A=1', 'URL=postgres://u:p@h/db?x=1', 'EMPTY=', 'PEM=line1\nline2\n', 'Q="quoted" \'too\'', 'U=ünï ✓'])).toEqual({
      A: '1', URL: 'postgres://u:p@h/db?x=1', EMPTY: '', PEM: 'line1\nline2\n', Q: '"quoted" \'too\'', U: 'ünï ✓',
    });
  });

  it('lets a later value win and keeps leading/trailing spaces', () => {
    expect(parseConfigPairs(['A=1', 'A= 2 '])).toEqual({ A: ' 2 ' });
  });

  it('refuses arguments without = and invalid keys', () => {
    expect(errorOf(() => parseConfigPairs(['FOO'])).message).toBe("'FOO' is not KEY=value");
    expect(errorOf(() => parseConfigPairs(['=x'])).message).toBe("config var key '' is invalid: use letters, digits and '_', not starting with a digit");
    expect(errorOf(() => parseConfigPairs(['1A=x'])).message).toContain("config var key '1A' is invalid");
    expect(errorOf(() => parseConfigPairs(['MY-KEY=x'])).message).toContain("config var key 'MY-KEY' is invalid");
  });
});

describe('run command quoting', () => {
  it('leaves plain words alone and single-quotes the rest', () => {
    expect(shellQuote('node')).toBe('node');
    expect(shellQuote('--port=5000')).toBe('--port=5000');
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('$HOME')).toBe("'$HOME'");
  });

  it('takes one argument as a command line and quotes several', () => {
    expect(joinCommand(['npm run migrate && echo ok'])).toBe('npm run migrate && echo ok');
    expect(joinCommand(['echo', 'a b'])).toBe("echo 'a b'");
    expect(errorOf(() => joinCommand([])).message).toBe('no command to run');
  });

  it('round-trips arbitrary arguments through /bin/sh -c', () => {
    const args = ['printf', '%s|', 'a b', "it's", '$HOME', '*', 'x\ny', '', '"q"', '\\'];
    const res = spawnSync('/bin/sh', ['-c', joinCommand(args)], { encoding: 'utf8' });
    expect(res.stdout).toBe(`${args.slice(2).join('|')}|`);
  });
});

describe('other arguments', () => {
  it('parses release versions with or without v', () => {
    expect(parseReleaseVersion('v4')).toBe(4);
    expect(parseReleaseVersion('12')).toBe(12);
    expect(errorOf(() => parseReleaseVersion('v0')).message).toBe("'v0' is not a release version");
    expect(errorOf(() => parseReleaseVersion('latest')).message).toBe("'latest' is not a release version");
  });

  it('accepts process types and dyno names as restart targets', () => {
    expect(parseTarget('web')).toBe('web');
    expect(parseTarget('web.2')).toBe('web.2');
    expect(errorOf(() => parseTarget('web.x.1')).message).toBe("'web.x.1' is neither a process type nor a dyno name");
  });

  it('validates hostnames', () => {
    expect(validateHost('api.myapp.localhost')).toBe('api.myapp.localhost');
    expect(validateHost('WWW.Example.TEST.')).toBe('www.example.test');
    for (const bad of ['localhost', 'a..b', '-a.localhost', 'a_b.localhost', '*.app.localhost', '127.0.0.1', 'a b.test', 'http://x.test']) {
      expect(errorOf(() => validateHost(bad)).message).toBe(`'${bad}' is not a valid hostname`);
    }
  });

  it('caps log line counts at 1500', () => {
    expect(parseLineCount(100)).toBe(100);
    expect(parseLineCount(0)).toBe(0);
    expect(parseLineCount(1500)).toBe(1500);
    expect(errorOf(() => parseLineCount(1501)).message).toBe('-n 1501: the number of lines must be a whole number from 0 to 1500');
    expect(errorOf(() => parseLineCount(Number.NaN)).code).toBe('invalid');
  });
});
