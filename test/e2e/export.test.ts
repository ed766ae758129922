// Issue 14: `minik export` through the real CLI and daemon, and the proof that the exported systemd
// command lines start the app: the web unit's ExecStart, WorkingDirectory, EnvironmentFile= and
// Environment= lines are read as systemd reads them and run here, without systemd, and the app serves.
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceWithSh, systemdWords, unitSettings } from '../unit/export/systemd-parse.js';
import { copyFixture, freePort, httpGet, minik, until, type Minik } from './harness.js';

const TRICKY = { DOLLAR: 'p@$$w0rd $HOME ${PATH}', PERCENT: '100% %n', QUOTES: `it's "quoted" \\ \`id\``, MULTI: 'line 1\nline 2' };

/** What systemd would run for a unit: ExecStart's argv, WorkingDirectory and the environment, read as systemd reads them. */
async function unitCommand(unitFile: string): Promise<{ file: string; args: string[]; cwd: string; env: Record<string, string> }> {
  const unit = unitSettings(await readFile(unitFile, 'utf8'));
  const get = (k: string) => unit.filter(([key]) => key === k).map(([, v]) => v.replace(/%%/g, '%'));
  const env: Record<string, string> = {
    PATH: '/usr/local/bin:/usr/bin:/bin', // what systemd's user manager gives a unit, not the test's PATH
    ...Object.fromEntries(get('Environment').map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)])),
    // EnvironmentFile= is read after Environment= and wins (systemd.exec(5)).
    ...sourceWithSh(await readFile(get('EnvironmentFile')[0]!, 'utf8')),
  };
  const [file, ...args] = systemdWords(get('ExecStart')[0]!);
  return { file: file!, args, cwd: get('WorkingDirectory')[0]!, env };
}

describe('minik export', () => {
  let m: Minik;
  let src: string;
  const started: ChildProcess[] = [];
  beforeAll(async () => {
    m = await minik();
    src = await copyFixture('node-hello', join(m.home, 'src'));
    const up = await m.run(['up', src]);
    expect(up.exitCode, `${up.stdout}\n${up.stderr}`).toBe(0);
    const set = await m.run(['config:set', ...Object.entries(TRICKY).map(([k, v]) => `${k}=${v}`), '-a', 'node-hello']);
    expect(set.exitCode, String(set.stderr)).toBe(0);
  }, 120_000);
  afterAll(async () => {
    for (const c of started) if (c.exitCode === null && c.signalCode === null) try { process.kill(-c.pid!, 'SIGKILL'); } catch { /* gone */ }
    await m.stop();
  });

  it('writes systemd units whose command line, environment and escaping start the app from a copied root and serve HTTP', async () => {
    const first = await m.run(['export', 'systemd', join(m.home, 'out', 'slug'), '-a', 'node-hello']);
    expect(first.exitCode, String(first.stderr)).toBe(0);
    const slug = unitSettings(await readFile(join(m.home, 'out', 'slug', 'node-hello-web.1.service'), 'utf8')).find(([k]) => k === 'WorkingDirectory')![1];
    expect(slug.startsWith(join(m.home, 'slugs'))).toBe(true); // by default the units run minik's own slug
    const root = join(m.home, 'srv', 'node hello 100%'); // a space and a % to escape in WorkingDirectory=
    await cp(slug, root, { recursive: true });
    const out = join(m.home, 'out', 'systemd');
    const r = await m.run(['export', 'systemd', out, '--root', root, '-a', 'node-hello']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(r.stdout).toContain(`Apply it with: systemctl --user link ${out}/node-hello.target ${out}/node-hello-web.1.service`);
    expect((await stat(join(out, 'node-hello.env'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(out, 'node-hello-web.1.service'))).mode & 0o777).toBe(0o644);

    const { file, args, cwd, env } = await unitCommand(join(out, 'node-hello-web.1.service'));
    expect(env.PORT).toBe('5000');
    env.PORT = String(await freePort()); // 5000 may be taken on a shared machine; the port is the one thing changed
    expect(cwd).toBe(root);
    const child = spawn(file, args, { cwd, env, detached: true, stdio: 'ignore' });
    started.push(child);
    const hello = await until(async () => {
      const a = await httpGet(Number(env.PORT), 'localhost', '/');
      return a.status === 200 ? a : null;
    }, 'the exported web command to serve');
    expect(hello!.body).toBe('Hello from node-hello (web.1)');
    for (const [k, v] of Object.entries(TRICKY)) expect((await httpGet(Number(env.PORT), 'localhost', `/env/${k}`)).body, k).toBe(v);
    process.kill(-child.pid!, 'SIGTERM');
  });

  it('prints the objects with --json, secrets hidden unless --show-secrets, and writes nothing', async () => {
    const out = join(m.home, 'out', 'json');
    const hidden = await m.run(['export', 'k8s', out, '--json', '-a', 'node-hello']);
    expect(hidden.exitCode, String(hidden.stderr)).toBe(0);
    const view = JSON.parse(String(hidden.stdout)) as { objects: Array<{ kind: string }>; files: Array<{ path: string; mode: string }> };
    expect(view.objects.map((o) => o.kind)).toEqual(['Secret', 'Service', 'Deployment']);
    expect(view.files.find((f) => f.path === '01-secret.yaml')!.mode).toBe('0600');
    for (const v of Object.values(TRICKY)) expect(String(hidden.stdout)).not.toContain(JSON.stringify(v).slice(1, -1));
    const shown = await m.run(['export', 'k8s', out, '--json', '--show-secrets', '-a', 'node-hello']);
    expect(String(shown.stdout)).toContain(JSON.stringify(TRICKY.DOLLAR));
    await expect(stat(out)).rejects.toThrow();
    // --release: v1 is the first deploy, before the config vars were set.
    const v1 = JSON.parse(String((await m.run(['export', 'compose', out, '--json', '--show-secrets', '--release', 'v1', '-a', 'node-hello'])).stdout)) as { release: number; files: Array<{ content: string }> };
    expect(v1.release).toBe(1);
    expect(JSON.stringify(v1)).not.toContain('DOLLAR');
  });

  it('writes every format, and re-exports over its own files only', async () => {
    for (const format of ['k8s', 'compose', 'dockerfile']) {
      const r = await m.run(['export', format, '-a', 'node-hello'], { cwd: src });
      expect(r.exitCode, String(r.stderr)).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`Exporting ⬢ node-hello v\\d+ to ${format}\\.\\.\\. done`));
    }
    expect((await readdir(join(src, 'minik-export'))).sort()).toEqual(['compose', 'dockerfile', 'k8s']);
    expect(await readFile(join(src, 'minik-export/dockerfile/Dockerfile'), 'utf8')).toContain(`FROM node:${process.versions.node.split('.')[0]}-slim`);
    const again = await m.run(['export', 'k8s', '-a', 'node-hello'], { cwd: src });
    expect(again.exitCode, String(again.stderr)).toBe(0);
  });

  it('exports a deployed multi-process app: app.json formation, release Job and phase, units per dyno', async () => {
    const multi = await copyFixture('node-multi', join(m.home, 'src'));
    const up = await m.run(['up', multi]);
    expect(up.exitCode, `${up.stdout}\n${up.stderr}`).toBe(0);
    const view = JSON.parse(String((await m.run(['export', 'k8s', '--json', '--show-secrets', '-a', 'node-multi'])).stdout)) as { objects: Array<Record<string, any>> };
    const replicas = Object.fromEntries(view.objects.filter((o) => o.kind === 'Deployment').map((o) => [o.metadata.name, o.spec.replicas]));
    expect(replicas).toEqual({ 'node-multi-web': 2, 'node-multi-worker': 1, 'node-multi-clock': 0 });
    expect(view.objects.find((o) => o.kind === 'Job')!.spec.template.spec.containers[0].command[2]).toMatch(/exec node release\.js$/);
    expect(view.objects.find((o) => o.kind === 'Secret')!.stringData.SESSION_SECRET).toMatch(/^[0-9a-f]{64}$/);
    const out = join(m.home, 'out', 'multi');
    expect((await m.run(['export', 'systemd', out, '-a', 'node-multi'])).exitCode).toBe(0);
    expect((await readdir(out)).filter((f) => f.endsWith('.service')).sort())
      .toEqual(['node-multi-release.service', 'node-multi-web.1.service', 'node-multi-web.2.service', 'node-multi-worker.1.service']);
    // The release unit's command runs to success, and the worker gets its quoted argument as one word.
    const release = await unitCommand(join(out, 'node-multi-release.service'));
    const r = await execa(release.file, release.args, { cwd: release.cwd, env: release.env, extendEnv: false });
    expect(r.stdout).toBe('release phase: migrations are up to date');
    const worker = await unitCommand(join(out, 'node-multi-worker.1.service'));
    const w = execa(worker.file, worker.args, { cwd: worker.cwd, env: worker.env, extendEnv: false, detached: true, reject: false });
    started.push(w);
    const first = await new Promise<string>((res) => w.stdout!.once('data', (d: Buffer) => res(String(d))));
    process.kill(-w.pid!, 'SIGTERM');
    await w;
    expect(first).toBe('worker worker.1 started with ["--queue","default jobs"]\n');
  });

  it('refuses a folder with files it did not write unless --force', async () => {
    const out = join(m.home, 'out', 'busy');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'kustomization.yaml'), 'resources: []\n');
    const r = await m.run(['export', 'k8s', out, '-a', 'node-hello']);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain(`minik: ${out} holds files minik export did not write (kustomization.yaml)`);
    expect(r.stderr).toMatch(/--force/);
    const forced = await m.run(['export', 'k8s', out, '--force', '-a', 'node-hello']);
    expect(forced.exitCode, String(forced.stderr)).toBe(0);
    expect(await readFile(join(out, 'kustomization.yaml'), 'utf8')).toBe('resources: []\n');
  });

  it('refuses an unknown format and an app without a release, each in one sentence with a hint', async () => {
    const bad = await m.run(['export', 'helm', '-a', 'node-hello']);
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toContain("minik: unknown export format 'helm'");
    expect(bad.stderr).toContain('k8s, compose, systemd, dockerfile');
    const broken = await copyFixture('broken-procfile', join(m.home, 'src'));
    expect((await m.run(['up', broken])).exitCode).not.toBe(0);
    const none = await m.run(['export', 'k8s', '-a', 'broken-procfile']);
    expect(none.exitCode).not.toBe(0);
    expect(none.stderr).toContain('minik: broken-procfile has no release to export yet');
    expect(none.stderr).toContain('minik up');
  });
});
