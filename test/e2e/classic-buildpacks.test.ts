// Issue 12: third-party buildpacks through Heroku's classic API: fetched from a bare git repository
// (with #ref) and a .tgz, run in order with `export`, ENV_DIR, CACHE_DIR, .profile.d and bin/release;
// bad buildpacks fail clearly while the running release keeps serving.
import { execa } from 'execa';
import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, copyFixture, minik, type Minik } from './harness.js';

const BUILDPACKS = join(FIXTURES, 'buildpacks');
const git = (cwd: string, ...args: string[]) => execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.test', ...args], { cwd });

interface Report {
  greeting: string | null; buildCount: string | null; stack: string | null; sourceVersion: string | null;
  buildpackVersion: string | null; exported: string | null; profile: string | null; releaseDefault: string | null; greetingVar: string | null;
}

describe('classic buildpacks', () => {
  let m: Minik;
  let app: string;
  let bare: string;
  let tgz: string;
  let commit: string;
  const report = async () => JSON.parse((await m.get('classic')).body) as Report;

  beforeAll(async () => {
    m = await minik({ MINIK_BUILD_TIMEOUT: '10' });
    // The hello buildpack as a bare repository: tag v1, then a v2 commit on the default branch.
    const work = join(m.home, 'hello-src');
    await cp(join(BUILDPACKS, 'hello'), work, { recursive: true });
    await git(work, 'init', '-q');
    await git(work, 'add', '-A');
    await git(work, 'commit', '-qm', 'v1');
    await git(work, 'tag', 'v1');
    await writeFile(join(work, 'VERSION'), 'v2\n');
    await git(work, 'commit', '-qam', 'v2');
    bare = join(m.home, 'hello.git');
    await git(m.home, 'clone', '-q', '--bare', work, bare);
    tgz = join(m.home, 'second.tgz');
    await execa('tar', ['-czf', tgz, '-C', BUILDPACKS, 'second']);
    app = await copyFixture('buildpacks/app', join(m.home, 'src'));
    await writeFile(join(app, '.buildpacks'), `# the hello buildpack at its v1 tag, then the second one\n${bare}#v1\nfile://${tgz}\n`);
    await git(app, 'init', '-q');
    await git(app, 'add', '-A');
    await git(app, 'commit', '-qm', 'app');
    commit = String((await git(app, 'rev-parse', 'HEAD')).stdout).trim();
  });
  afterAll(async () => { await m.stop(); });

  it('runs the .buildpacks list in order: #ref, .tgz, export, .profile.d, bin/release, STACK', async () => {
    const up = await m.run(['up', app, '--name', 'classic']);
    expect(up.exitCode, `${up.stdout}\n${up.stderr}`).toBe(0);
    expect(up.stdout).toContain('-----> Using buildpacks from .buildpacks');
    expect(up.stdout).toContain('-----> Hello app detected');
    // A buildpack's output is shown as it prints it: its headlines at the margin, its details as it indents them.
    expect(up.stdout).toMatch(/^-----> Second buildpack sees HELLO_EXPORTED=exported by hello$/m);
    expect(up.stdout).toMatch(/^ {7}build number 1 \(counted in CACHE_DIR\)$/m);
    const r = await report();
    expect(r).toMatchObject({
      buildpackVersion: 'v1', buildCount: '1', stack: 'heroku-24', exported: 'exported by hello',
      profile: 'sourced from .profile.d', releaseDefault: 'from bin/release', greeting: null,
      greetingVar: 'never shown once the config var is set', sourceVersion: commit,
    });
    const info = JSON.parse(String((await m.run(['info', '--json', '-a', 'classic'])).stdout)) as { buildpack: string };
    expect(info.buildpack).toBe(`${bare}#v1, file://${tgz}`);
  });

  it('writes config vars into ENV_DIR, keeps CACHE_DIR between builds, and config vars beat bin/release defaults', async () => {
    expect((await m.run(['config:set', 'GREETING=hi there', '-a', 'classic'])).exitCode).toBe(0);
    const up = await m.run(['up', app, '--name', 'classic']);
    expect(up.exitCode, up.stderr).toBe(0);
    const r = await report();
    expect(r).toMatchObject({ greeting: 'hi there', buildCount: '2', greetingVar: 'hi there', releaseDefault: 'from bin/release' });
  });

  it('prefers the app\'s list over .buildpacks, lists it, and a git URL without #ref takes the default branch', async () => {
    const set = await m.run(['buildpacks:set', bare, '-a', 'classic']);
    expect(set.exitCode, set.stderr).toBe(0);
    expect(set.stdout).toContain(`Buildpack set. Next release on ⬢ classic will use ${bare}.`);
    const list = await m.run(['buildpacks', '--json', '-a', 'classic']);
    expect(JSON.parse(String(list.stdout))).toEqual([{ index: 1, url: bare }]);
    const up = await m.run(['up', app, '--name', 'classic']);
    expect(up.exitCode, up.stderr).toBe(0);
    expect(up.stdout).toContain("-----> Using buildpack from the app's buildpack list");
    const r = await report();
    expect(r.buildpackVersion).toBe('v2');
    expect(r.exported).toBeNull();
  });

  it.each([
    ['a URL that does not exist', () => join(m.home, 'nowhere.git'), /could not fetch buildpack .*nowhere\.git: .*does not exist/],
    ['a buildpack without bin/compile', () => join(BUILDPACKS, 'no-compile'), /buildpack .*no-compile has no bin\/compile/],
    ['a bin/release that prints invalid YAML', () => join(BUILDPACKS, 'broken-release'), /bin\/release printed invalid YAML/],
    ['a compile that hangs past MINIK_BUILD_TIMEOUT', () => join(BUILDPACKS, 'hang'), /build timed out after 10 seconds \(MINIK_BUILD_TIMEOUT=10\)/],
  ])('fails clearly on %s, and the old release keeps serving', async (_what, url, message) => {
    const before = await m.run(['releases', '--json', '-a', 'classic']);
    expect((await m.run(['buildpacks:set', url(), '-a', 'classic'])).exitCode).toBe(0);
    const up = await m.run(['up', app, '--name', 'classic']);
    expect(up.exitCode).not.toBe(0);
    expect(up.stderr).toMatch(message);
    expect((await m.get('classic')).status).toBe(200);
    expect((await report()).buildpackVersion).toBe('v2');
    const current = (r: { stdout: unknown }) => (JSON.parse(String(r.stdout)) as { version: number; current: boolean }[]).find((x) => x.current)?.version;
    expect(current(await m.run(['releases', '--json', '-a', 'classic']))).toBe(current(before));
  });

  it('edits the list like Heroku: add --index, remove by URL or index, clear', async () => {
    const run = (...args: string[]) => m.run([...args, '-a', 'classic']);
    expect((await run('buildpacks:set', bare)).exitCode).toBe(0);
    expect((await run('buildpacks:add', 'heroku/nodejs', '--index', '1')).stdout).toContain(`will use:\n  1. heroku/nodejs\n  2. ${bare}`);
    const dup = await run('buildpacks:add', bare);
    expect(dup.exitCode).not.toBe(0);
    expect(dup.stderr).toContain('is already set on this app');
    expect((await run('buildpacks:remove', '--index', '1')).stdout).toContain(`will use ${bare}.`);
    const plain = await run('buildpacks');
    expect(plain.stdout).toContain('=== ⬢ classic Buildpack URL');
    expect((await run('buildpacks:remove', bare)).stdout).toContain('will detect buildpacks normally.');
    expect((await run('buildpacks:add', 'not a url')).exitCode).not.toBe(0);
    expect((await run('buildpacks:add', bare)).exitCode).toBe(0);
    expect((await run('buildpacks:clear')).stdout).toContain('Buildpacks cleared. Next release on ⬢ classic will detect buildpacks normally.');
    expect((await run('buildpacks')).stdout).toContain('⬢ classic has no Buildpack URL set.');
  });
});
