import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makePalette } from '../../../src/cli/color.js';
import { commands } from '../../../src/cli/commands/index.js';
import { buildCli, normalizeArgs, rootHelp } from '../../../src/cli/root.js';
import { MinikError } from '../../../src/core/errors.js';

const repo = resolve(import.meta.dirname, '../../..');
const home = mkdtempSync(join(tmpdir(), 'minik-main-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function usageFailure(args: string[]): Promise<MinikError> {
  // yargs throws some validation errors synchronously from parseAsync, so call it inside a promise chain
  const err = await Promise.resolve().then(() => buildCli(args).parseAsync()).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(MinikError);
  return err as MinikError;
}

describe('the yargs root', () => {
  it('lists every command once, grouped, with a description', () => {
    const help = rootHelp(makePalette(false));
    for (const group of ['Apps', 'Dynos', 'Logs', 'Config vars', 'Releases', 'Routing', 'Daemon']) expect(help).toContain(`\n${group}\n`);
    for (const c of commands.filter((c) => c.command !== 'daemon' && !c.hidden)) {
      expect(help).toMatch(new RegExp(`\\n  ${c.command.replace(/[.[\]]/g, '\\$&')} +${c.describe.slice(0, 10).replace(/[()]/g, '\\$&')}`));
    }
    expect(help).toContain('  daemon status ');
    expect(help).not.toContain('_git-receive');
    expect(help.indexOf('  up [dir]')).toBeLessThan(help.indexOf('  ps [type]'));
  });

  it('turns yargs failures into usage errors with a hint', async () => {
    const unknown = await usageFailure(['frobnicate']);
    expect([unknown.message, unknown.hint, unknown.code]).toEqual(["'frobnicate' is not a minik command", "run 'minik --help' for the list of commands", 'usage']);
    const typo = await usageFailure(['scal', 'web=1', '-a', 'app']);
    expect([typo.message, typo.hint]).toEqual(["'scal' is not a minik command", "did you mean 'minik scale'? Run 'minik --help' for the list of commands"]);
    expect((await usageFailure(['confg:set', 'A=1'])).hint).toContain("did you mean 'minik config:set'?");
    const missing = await usageFailure(['config:get']);
    expect(missing.message).toBe('Not enough non-option arguments: got 0, need at least 1');
    expect(missing.hint).toBe("see 'minik config:get --help'");
    expect((await usageFailure(['ps', '--jsno'])).message).toBe('Unknown argument: jsno');
  });

  it('passes a command\'s own MinikError through untouched', async () => {
    const err = await usageFailure(['scale', 'web=many']);
    expect([err.message, err.code]).toEqual(["'web=many': the quantity must be a whole number from 0 to 100", 'invalid']);
  });

  it('maps `minik` and `minik help [cmd]` to --help', () => {
    expect(normalizeArgs([])).toEqual(['--help']);
    expect(normalizeArgs(['help'])).toEqual(['--help']);
    expect(normalizeArgs(['help', 'ps'])).toEqual(['ps', '--help']);
    expect(normalizeArgs(['ps', '-a', 'x'])).toEqual(['ps', '-a', 'x']);
  });
});

const built = existsSync(join(repo, 'dist/cli/main.js'));

describe.skipIf(!built)('bin/minik (built)', () => {
  const minik = (...args: string[]) => spawnSync(process.execPath, [join(repo, 'bin/minik'), ...args], {
    encoding: 'utf8', env: { ...process.env, MINIK_HOME: join(home, 'h'), MINIK_APP: '', NO_COLOR: '1' }, timeout: 10_000,
  });

  it('prints minik: message and hint: for an unknown command and exits 1', () => {
    const r = minik('frobnicate');
    expect([r.status, r.stdout, r.stderr]).toEqual([1, '', "minik: 'frobnicate' is not a minik command\nhint: run 'minik --help' for the list of commands\n"]);
  });

  it("prints a command's MinikError with its hint and exit code", () => {
    const r = minik('apps:destroy', 'shop', '--confirm', 'shpo');
    expect([r.status, r.stderr]).toEqual([1, "minik: this destroys app 'shop' and its releases\nhint: run 'minik apps:destroy shop --confirm shop'\n"]);
  });

  it('shows help and the version', () => {
    const help = minik('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: minik <command> [options]');
    expect(help.stdout).toContain('  config:set <pairs..>');
    expect(minik('--version').stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(minik('help', 'scale').stdout).toContain('Usage: minik scale [changes..]  (alias: ps:scale)');
  });

  it('does not start the daemon for daemon status/stop', () => {
    const status = minik('daemon', 'status');
    expect([status.status, status.stderr.split('\n')[0]]).toEqual([1, 'minik: the minik daemon is not running']);
    const json = minik('daemon', 'status', '--json');
    expect([json.status, JSON.parse(json.stdout)]).toEqual([1, { running: false }]);
    const stop = minik('daemon', 'stop');
    expect([stop.status, stop.stdout]).toEqual([0, 'minik daemon is not running\n']);
    expect(existsSync(join(home, 'h'))).toBe(false);
  });
});
