// Issue 10: `git push minik main` deploys through the pre-receive hook, with real git.
import { access, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitEdit, git, gitEnv, head, initRepo, load, remoteRef } from './git-helpers.js';
import { copyFixture, minik, type Minik } from './harness.js';

const BUILD_SCRIPT = "node -e \"console.log('SOURCE_VERSION is ' + process.env.SOURCE_VERSION)\"";

describe('git push deploys', () => {
  let m: Minik;
  let dir: string;
  let repo: string;
  let env: Record<string, string>;
  const push = (args: string[], cwd = dir) => git(cwd, ['push', ...args], env);
  const said = (r: { stdout: unknown; stderr: unknown }) => `${String(r.stdout)}\n${String(r.stderr)}`;
  const releases = async () => JSON.parse(String((await m.run(['releases', '--json', '-a', 'shop'])).stdout)) as { version: number; commit: string | null; status: string; description: string }[];

  beforeAll(async () => {
    m = await minik();
    env = gitEnv(m.env);
    dir = await copyFixture('node-hello', m.home);
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    pkg.scripts.build = BUILD_SCRIPT;
    await writeFile(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
    await initRepo(dir, env);
    const created = await m.run(['apps:create', 'shop'], { cwd: dir });
    expect(created.exitCode, String(created.stderr)).toBe(0);
    repo = join(m.home, 'repos', 'shop.git');
    expect(String(created.stdout)).toContain(`Git remote minik added (${repo})`);
    expect(String((await git(dir, ['remote', 'get-url', 'minik'], env)).stdout).trim()).toBe(repo);
  }, 120_000);
  afterAll(async () => { await m.stop(); });

  it('the first push builds the commit, releases it with its sha and serves it', { timeout: 120_000 }, async () => {
    const sha = await head(dir, env);
    const r = await push(['minik', 'main']);
    const out = said(r);
    expect(r.exitCode, out).toBe(0);
    expect(out).toContain(`remote: -----> Building shop from main at ${sha.slice(0, 7)}`);
    expect(out).toContain(`remote:        SOURCE_VERSION is ${sha}`);
    expect(out).toMatch(/remote: -----> Released v1\s/);
    expect(out).toContain(`remote:        http://shop.localhost:${m.port} deployed`);
    expect(await remoteRef(repo, 'main', env)).toBe(sha);
    expect((await m.get('shop')).body).toBe('Hello from node-hello (web.1)');
    const [v1] = await releases();
    expect(v1).toMatchObject({ version: 1, commit: sha, description: `Deploy ${sha.slice(0, 7)}` });
    expect(String((await m.run(['releases', '-a', 'shop'])).stdout)).toMatch(new RegExp(`COMMIT[\\s\\S]*${sha.slice(0, 7)}`));
    expect(String((await m.run(['releases:info', 'v1', '-a', 'shop'])).stdout)).toContain(`Commit:        ${sha}`);
    // The slug is the commit's tree: no .git, and nothing left in builds/ or in the temporary folders.
    const slugs = await readdir(join(m.home, 'slugs', 'shop'));
    await expect(access(join(m.home, 'slugs', 'shop', slugs[0]!, '.git'))).rejects.toThrow();
    expect(await readdir(join(m.home, 'builds', 'shop')).catch(() => [])).toEqual([]);
  });

  it('a second push with a change serves it with no failed request under load', { timeout: 120_000 }, async () => {
    const sha = await commitEdit(dir, 'server.js', /Hello from/g, 'Pushed again from', env);
    const l = load(m.port, 'shop.localhost');
    await new Promise((r) => setTimeout(r, 300));
    const r = await push(['minik', 'main']);
    await new Promise((r) => setTimeout(r, 300));
    const stats = await l.stop();
    expect(r.exitCode, said(r)).toBe(0);
    expect(stats.errors.slice(0, 5)).toEqual([]);
    expect(stats.failed).toBe(0);
    expect(stats.ok).toBeGreaterThan(20);
    expect((await m.get('shop')).body).toBe('Pushed again from node-hello (web.1)');
    expect(await remoteRef(repo, 'main', env)).toBe(sha);
  });

  it('a broken Procfile or a failing build rejects the push: the ref stays and the old release serves', { timeout: 120_000 }, async () => {
    const before = await remoteRef(repo, 'main', env);
    await writeFile(join(dir, 'Procfile'), 'web: node server.js\nwe b: echo broken\n');
    await git(dir, ['add', 'Procfile'], env);
    await git(dir, ['commit', '-qm', 'broken Procfile'], env);
    const broken = await push(['minik', 'main']);
    const out = said(broken);
    expect(broken.exitCode, out).not.toBe(0);
    expect(out).toContain('! [remote rejected] main -> main (pre-receive hook declined)');
    expect(out).toMatch(/remote: minik: Procfile line 2: process type 'we b'.*\n.*remote: hint: /);
    expect(await remoteRef(repo, 'main', env)).toBe(before);
    expect((await m.get('shop')).body).toBe('Pushed again from node-hello (web.1)');

    await git(dir, ['rm', '-q', 'Procfile'], env);
    await commitEdit(dir, 'package.json', BUILD_SCRIPT.replace(/"/g, '\\"'), 'exit 3', env);
    const failing = await push(['minik', 'main']);
    expect(failing.exitCode, said(failing)).not.toBe(0);
    expect(said(failing)).toContain('! [remote rejected] main -> main (pre-receive hook declined)');
    expect(said(failing)).toMatch(/remote: minik: .*build.*\n.*remote: hint: /i);
    expect(await remoteRef(repo, 'main', env)).toBe(before);
    expect((await m.get('shop')).body).toBe('Pushed again from node-hello (web.1)');
    await git(dir, ['reset', '-q', '--hard', before], env);
  });

  it('a push to another branch is accepted without a build; deleting it is accepted', { timeout: 60_000 }, async () => {
    const count = (await releases()).length;
    await git(dir, ['checkout', '-qb', 'feature'], env);
    const sha = await commitEdit(dir, 'server.js', /Pushed again from/g, 'Feature from', env);
    const r = await push(['minik', 'feature']);
    expect(r.exitCode, said(r)).toBe(0);
    expect(said(r)).toContain('remote: Pushed to non-deploy branch feature, skipping build. Deploy it with: git push minik feature:main');
    expect(await remoteRef(repo, 'feature', env)).toBe(sha);
    expect((await releases()).length).toBe(count);
    const del = await push(['minik', ':feature']);
    expect(del.exitCode, said(del)).toBe(0);
    expect(await remoteRef(repo, 'feature', env)).toBe('');
    await git(dir, ['checkout', '-q', 'main'], env);
  });

  it('a force push deploys the rewritten history', { timeout: 120_000 }, async () => {
    const base = await head(dir, env, 'HEAD~1');
    await git(dir, ['reset', '-q', '--hard', base], env);
    const sha = await commitEdit(dir, 'server.js', /Hello from/g, 'Forced from', env);
    const plain = await push(['minik', 'main']);
    expect(plain.exitCode).not.toBe(0);
    const r = await push(['-f', 'minik', 'main']);
    expect(r.exitCode, said(r)).toBe(0);
    expect(said(r)).toContain('(forced update)');
    expect(await remoteRef(repo, 'main', env)).toBe(sha);
    expect((await m.get('shop')).body).toBe('Forced from node-hello (web.1)');
  });

  it('push options: skip-build only moves the ref, no-cache builds without the cache, others are named', { timeout: 120_000 }, async () => {
    const count = (await releases()).length;
    const skipped = await commitEdit(dir, 'server.js', /Forced from/g, 'Skipped from', env);
    const r = await push(['-o', 'skip-build', 'minik', 'main']);
    expect(r.exitCode, said(r)).toBe(0);
    expect(said(r)).toContain(`remote: -----> skip-build: accepting main at ${skipped.slice(0, 7)} without building`);
    expect(await remoteRef(repo, 'main', env)).toBe(skipped);
    expect((await releases()).length).toBe(count);
    expect((await m.get('shop')).body).toBe('Forced from node-hello (web.1)');

    const sha = await commitEdit(dir, 'server.js', /Skipped from/g, 'Uncached from', env);
    const nc = await push(['-o', 'no-cache', '-o', 'shiny', 'minik', 'main']);
    const out = said(nc);
    expect(nc.exitCode, out).toBe(0);
    expect(out).toContain("remote: minik knows the push options no-cache and skip-build; ignoring 'shiny'");
    expect(out).toContain('without the dependency cache');
    expect(out).not.toContain('Restoring cache');
    expect((await releases())[0]).toMatchObject({ commit: sha, status: 'succeeded' });
    expect((await m.get('shop')).body).toBe('Uncached from node-hello (web.1)');
    const cached = await push(['-f', 'minik', 'HEAD:main']);
    expect(cached.exitCode).toBe(0);
  });

  it('two pushes at once (main and master): the second waits, then both deploy', { timeout: 180_000 }, async () => {
    const other = join(m.home, 'clone');
    expect((await git(m.home, ['clone', '-q', repo, other], env)).exitCode).toBe(0);
    await commitEdit(dir, 'server.js', /Uncached from/g, 'Main from', env);
    await commitEdit(other, 'server.js', /Uncached from/g, 'Master from', env);
    const [a, b] = await Promise.all([push(['minik', 'main']), push(['origin', 'HEAD:master'], other)]);
    expect(a.exitCode, said(a)).toBe(0);
    expect(b.exitCode, said(b)).toBe(0);
    expect(`${said(a)}${said(b)}`).toContain('Waiting for the deploy in progress');
    const version = (o: string) => Number(/Released v(\d+)/.exec(o)?.[1]);
    const last = version(said(a)) > version(said(b)) ? 'Main from' : 'Master from';
    expect((await m.get('shop')).body).toBe(`${last} node-hello (web.1)`);
  });

  it('two pushes of one branch at once: the branch ends on the commit that serves', { timeout: 180_000 }, async () => {
    const other = join(m.home, 'clone');
    await git(other, ['fetch', '-q', 'origin'], env);
    await git(other, ['reset', '-q', '--hard', 'origin/main'], env);
    await commitEdit(dir, 'server.js', /Main from/g, 'First from', env);
    await commitEdit(other, 'server.js', /Main from/g, 'Second from', env);
    const [a, b] = await Promise.all([push(['minik', 'main']), push(['origin', 'HEAD:main'], other)]);
    expect([a.exitCode, b.exitCode].filter((c) => c === 0).length, `${said(a)}\n${said(b)}`).toBe(1);
    const loser = a.exitCode === 0 ? b : a;
    expect(said(loser)).toMatch(/out of date|fetch first|non-fast-forward/);
    const main = await remoteRef(repo, 'main', env);
    const winner = a.exitCode === 0 ? dir : other;
    expect(main).toBe(await head(winner, env));
    expect((await m.get('shop')).body).toBe(`${winner === dir ? 'First from' : 'Second from'} node-hello (web.1)`);
  });

  it('a config change keeps the commit of the slug it runs; a rollback takes its target\'s', { timeout: 120_000 }, async () => {
    const [live, previous] = await releases();
    expect((await m.run(['config:set', 'X=1', '-a', 'shop'])).exitCode).toBe(0);
    expect((await releases())[0]).toMatchObject({ description: 'Set X config var', commit: live!.commit });
    expect((await m.run(['rollback', `v${previous!.version}`, '-a', 'shop'])).exitCode).toBe(0);
    expect((await releases())[0]).toMatchObject({ description: `Rollback to v${previous!.version}`, commit: previous!.commit });
  });

  it('a push while the daemon is down starts it, as every command does', { timeout: 120_000 }, async () => {
    expect((await m.run(['daemon', 'stop'])).exitCode).toBe(0);
    const sha = await commitEdit(dir, 'server.js', /(First|Second) from/g, 'Restarted from', env);
    const r = await push(['-f', 'minik', 'main']);
    expect(r.exitCode, said(r)).toBe(0);
    expect(said(r)).toContain('remote: Starting minik daemon… done');
    expect(await remoteRef(repo, 'main', env)).toBe(sha);
    expect((await m.get('shop')).body).toBe('Restarted from node-hello (web.1)');
  });

  it('git:remote says plainly when git is missing', { timeout: 30_000 }, async () => {
    const r = await m.run(['git:remote', '-a', 'shop'], { cwd: dir, env: { PATH: '/nonexistent' } });
    expect(r.exitCode).not.toBe(0);
    expect(String(r.stderr)).toContain("minik: git push deploys need git 2.13 or newer, and git is not installed (no 'git' on PATH)");
  });

  it('git:remote re-points a remote; apps:create repairs a moved hook; apps:destroy deletes the repository', { timeout: 60_000 }, async () => {
    await git(dir, ['remote', 'set-url', 'minik', '/nowhere'], env);
    const r = await m.run(['git:remote', '-a', 'shop'], { cwd: dir });
    expect(String(r.stdout).trim()).toBe(`set git remote minik to ${repo}`);
    expect(String((await git(dir, ['remote', 'get-url', 'minik'], env)).stdout).trim()).toBe(repo);
    // A clone elsewhere finds its app through the minik remote, as Heroku's CLI does with `heroku`.
    const third = join(m.home, 'third');
    await git(m.home, ['clone', '-q', '-o', 'minik', repo, third], env);
    const found = await m.run(['releases', '--json'], { cwd: third });
    expect(found.exitCode, String(found.stderr)).toBe(0);
    expect((JSON.parse(String(found.stdout)) as unknown[]).length).toBeGreaterThan(3);
    const hook = join(repo, 'hooks', 'pre-receive');
    await writeFile(hook, (await readFile(hook, 'utf8')).replaceAll(process.execPath, '/moved/node'));
    await commitEdit(dir, 'server.js', /Restarted from/g, 'Moved from', env);
    const moved = await push(['minik', 'main']);
    expect(moved.exitCode).not.toBe(0);
    expect(said(moved)).toContain("remote: hint: run 'minik apps:create shop' to repair the hook, then push again");
    const again = await m.run(['apps:create', 'shop'], { cwd: dir });
    expect(again.exitCode).toBe(0);
    expect(String(again.stdout)).toContain('shop already exists; repaired its git hook');
    expect(await readFile(hook, 'utf8')).toContain(process.execPath);
    expect((await m.run(['apps:destroy', 'shop', '--confirm', 'shop'])).exitCode).toBe(0);
    await expect(access(repo)).rejects.toThrow();
  });

  it('minik up in a git work tree adds the minik remote when it creates the app, once', { timeout: 120_000 }, async () => {
    const app = await copyFixture('node-procfile', join(m.home, 'up'));
    await initRepo(app, env);
    const first = await m.run(['up', app, '--name', 'uptree']);
    expect(first.exitCode, String(first.stderr)).toBe(0);
    expect(String(first.stdout)).toContain(`Git remote minik added (${join(m.home, 'repos', 'uptree.git')})`);
    const second = await m.run(['up', app, '--name', 'uptree']);
    expect(second.exitCode).toBe(0);
    expect(String(second.stdout)).not.toContain('Git remote');
    await commitEdit(app, 'Procfile', /$/, '\n', env);
    const r = await push(['minik', 'main'], app);
    expect(r.exitCode, said(r)).toBe(0);
    expect(said(r)).toContain('Released v3');
  });
});
