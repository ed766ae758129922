// Issue 9 (items 6-9): one-off dynos as Heroku users type them, with exactly a dyno's environment, HOME at
// the slug, and a throwaway copy of the slug for the release phase and each one-off.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive, minik, until, type Minik } from './harness.js';

/** A node app with a local dependency that installs a program into node_modules/.bin (no registry needed). */
async function writeApp(dir: string): Promise<void> {
  await mkdir(join(dir, 'greet'), { recursive: true });
  await writeFile(join(dir, 'greet', 'package.json'), JSON.stringify({ name: 'greet', version: '1.0.0', bin: { greet: 'cli.js' } }));
  await writeFile(join(dir, 'greet', 'cli.js'), "#!/usr/bin/env node\nconsole.log('greet ok');\n", { mode: 0o755 });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'oneoff', version: '1.0.0', private: true, dependencies: { greet: 'file:greet' } }));
  await writeFile(join(dir, 'server.js'), [
    "const fs = require('fs');",
    "require('http').createServer((q, s) => s.end(JSON.stringify({ home: process.env.HOME, cwd: process.cwd(), released: fs.existsSync('released.txt') })))",
    "  .listen(process.env.PORT, '127.0.0.1');",
  ].join('\n'));
  await writeFile(join(dir, 'Procfile'), [
    'web: node server.js',
    "worker: node -e \"console.log('worker ran in ' + process.cwd())\"",
    "release: node -e \"require('fs').writeFileSync('released.txt', 'x'); console.log('release wrote released.txt')\"",
  ].join('\n'));
}

describe('minik run (one-off dynos)', () => {
  let m: Minik;
  const run = async (args: string[], input?: string) => {
    const r = await m.run(['run', '-a', 'oneoff', ...args], { input });
    return { code: r.exitCode, out: String(r.stdout), err: String(r.stderr) };
  };
  beforeAll(async () => {
    m = await minik();
    const dir = join(m.home, 'oneoff');
    await writeApp(dir);
    const up = await m.run(['up', dir]);
    expect(up.exitCode, `${up.stdout}\n${up.stderr}`).toBe(0);
    expect(String(up.stderr) + String(up.stdout)).toContain('release wrote released.txt');
  });
  afterAll(async () => { await m.stop(); });

  it('runs everything after the first word as the command: node -v is node’s version, ls -la lists the slug', async () => {
    const node = await run(['node', '-v']);
    expect(node.code, node.err).toBe(0);
    expect(node.out.trim()).toBe(process.version);
    const ls = await run(['ls', '-la']);
    expect(ls.code, ls.err).toBe(0);
    expect(ls.out).toContain('server.js');
    expect(ls.out).toContain('Procfile');
  });

  it('runs a Procfile process type’s command', async () => {
    const worker = await run(['worker']);
    expect(worker.code, worker.err).toBe(0);
    expect(worker.out).toContain('worker ran in ');
    expect(worker.err).toContain('Running `worker` on');
  });

  it('sources .profile.d like a dyno: node_modules/.bin is on PATH', async () => {
    const greet = await run(['greet']);
    expect(greet.code, greet.err).toBe(0);
    expect(greet.out.trim()).toBe('greet ok');
  });

  it('starts in a throwaway copy of the slug with HOME set to it, removed when the one-off ends', async () => {
    const r = await run(['--', 'sh', '-c', 'echo "$HOME"; pwd; touch made-by-run']);
    expect(r.code, r.err).toBe(0);
    const [home, cwd] = r.out.trim().split('\n');
    expect(home).toBe(cwd);
    expect(home!.startsWith(join(m.home, 'runs', 'oneoff'))).toBe(true);
    expect(await readdir(join(m.home, 'runs', 'oneoff'))).toEqual([]);
    const again = await run(['ls']);
    expect(again.out).not.toContain('made-by-run');
  });

  it('a detached one-off runs the Procfile type in its own copy, removed when it ends', async () => {
    const r = await run(['-d', 'worker']);
    expect(r.code, r.err).toBe(0);
    const name = /up, (run\.\d+)/.exec(r.err)?.[1];
    expect(name).toBeDefined();
    const logs = await until(async () => {
      const out = String((await m.run(['logs', '-a', 'oneoff', '--ps', name!, '-n', '50'])).stdout);
      return out.includes('worker ran in') ? out : null;
    }, 'the detached worker output');
    expect(logs).toContain(join(m.home, 'runs', 'oneoff'));
    await until(async () => (await readdir(join(m.home, 'runs', 'oneoff'))).length === 0 || null, 'the copy to go');
  });

  it('minik run bash is a shell in the slug with the dyno environment', async () => {
    const r = await run(['bash'], 'echo "dyno=$DYNO"; command -v greet; exit 3\n');
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/^dyno=run\.\d+$/m);
    expect(r.out).toContain('node_modules/.bin/greet');
  });

  it('web dynos run in the slug with HOME set to it, and never see what the release phase wrote', async () => {
    const answer = await m.get('oneoff');
    expect(answer.status).toBe(200);
    const web = JSON.parse(answer.body) as { home: string; cwd: string; released: boolean };
    expect(web.home).toBe(web.cwd);
    expect(web.cwd.startsWith(join(m.home, 'slugs', 'oneoff'))).toBe(true);
    expect(web.released).toBe(false);
  });

  it('a daemon killed during a one-off leaves no copy behind once it is back', async () => {
    const r = await run(['-d', '--', 'sleep', '60']);
    expect(r.code, r.err).toBe(0);
    expect(await readdir(join(m.home, 'runs', 'oneoff'))).toHaveLength(1);
    const pid = await m.daemonPid();
    process.kill(pid!, 'SIGKILL');
    await until(() => !alive(pid!), 'the daemon to die');
    expect((await m.run(['ps', '-a', 'oneoff'])).exitCode).toBe(0); // starts the daemon again, which recovers the app
    await until(async () => (await readdir(join(m.home, 'runs', 'oneoff'))).length === 0 || null, 'recovery to delete the copy');
  });
});
