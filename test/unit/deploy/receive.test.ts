// The receive stage: what reaches the build folder from the user's app folder.
import { execa } from 'execa';
import fs from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MinikError } from '../../../src/core/errors.js';
import { receiveSource } from '../../../src/deploy/receive.js';

let tmp: string;
let src: string;
let out: string;
const servers: Server[] = [];
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'minik-receive-'));
  src = path.join(tmp, 'app');
  out = path.join(tmp, 'builds', 'app', 'b1');
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  fs.rmSync(tmp, { recursive: true, force: true });
});

function put(rel: string, text = rel, mode?: number): void {
  const file = path.join(src, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  if (mode !== undefined) fs.chmodSync(file, mode);
}

/** Every path under `dir`, '/'-separated and sorted; folders end with '/', symlinks show their target. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isSymbolicLink()) out.push(`${r} -> ${fs.readlinkSync(path.join(dir, r))}`);
      else if (e.isDirectory()) { out.push(`${r}/`); walk(r); }
      else out.push(r);
    }
  };
  walk('');
  return out.sort();
}

describe('receiveSource', () => {
  it('copies files with their modes, folders, and symlinks verbatim (even dangling ones)', async () => {
    put('Procfile', 'web: node server.js\n');
    put('bin/start', '#!/bin/sh\n', 0o755);
    put('lib/deep/a/b/c.js');
    fs.mkdirSync(path.join(src, 'empty'));
    fs.symlinkSync('lib/deep', path.join(src, 'shortcut'));
    fs.symlinkSync('/nowhere/at/all', path.join(src, 'dangling'));
    const summary = await receiveSource(src, out);
    expect(tree(out)).toEqual(['Procfile', 'bin/', 'bin/start', 'dangling -> /nowhere/at/all', 'empty/', 'lib/', 'lib/deep/',
      'lib/deep/a/', 'lib/deep/a/b/', 'lib/deep/a/b/c.js', 'shortcut -> lib/deep']);
    expect(fs.statSync(path.join(out, 'bin/start')).mode & 0o777).toBe(0o755);
    expect(fs.readFileSync(path.join(out, 'Procfile'), 'utf8')).toBe('web: node server.js\n');
    expect(summary).toEqual({ files: 3, skipped: [] });
  });

  it('skips sockets and FIFOs (a running app\'s puma.sock) instead of failing the deploy', async () => {
    put('config.ru');
    fs.mkdirSync(path.join(src, 'tmp/sockets'), { recursive: true });
    const server = createServer();
    servers.push(server);
    await new Promise<void>((r) => server.listen(path.join(src, 'tmp/sockets/puma.sock'), r));
    await execa('mkfifo', [path.join(src, 'tmp/pipe')]);
    const summary = await receiveSource(src, out);
    expect(tree(out)).toEqual(['config.ru', 'tmp/', 'tmp/sockets/']);
    expect(summary.skipped).toEqual(['tmp/pipe', 'tmp/sockets/puma.sock']);
  });

  it('leaves out .git, node_modules and .minik at any depth, and a MINIK_HOME nested in the app', async () => {
    for (const f of ['index.js', '.git/HEAD', 'node_modules/x/i.js', 'pkg/node_modules/y.js', 'sub/.minik/s', 'home/minik.db', 'gitkeep/.gitkeep']) put(f);
    await receiveSource(src, out, [path.join(src, 'home'), tmp]);
    expect(tree(out)).toEqual(['gitkeep/', 'gitkeep/.gitkeep', 'index.js', 'pkg/', 'sub/']);
  });

  it('honours .slugignore with git\'s rules: negations, folder-only rules, anchoring', async () => {
    put('.slugignore', '# big things\n*.psd\n!keep.psd\ndocs/\n/spec\nvendor/cache\n');
    for (const f of ['app.js', 'art.psd', 'keep.psd', 'a/b.psd', 'docs/x.md', 'src/docs/y.md', 'spec/a_spec.rb', 'lib/spec/s.rb', 'vendor/cache/g.gem', 'vendor/keep.rb']) put(f);
    put('notes/docs', 'a file named docs is not a folder');
    await receiveSource(src, out);
    expect(tree(out)).toEqual(['.slugignore', 'a/', 'app.js', 'keep.psd', 'lib/', 'lib/spec/', 'lib/spec/s.rb', 'notes/', 'notes/docs',
      'src/', 'vendor/', 'vendor/keep.rb']);
  });

  it('does not apply .gitignore (as on Heroku, where it only matters through git)', async () => {
    put('.gitignore', '.env\ndist/\n');
    put('.env', 'A=1\n');
    put('dist/app.js');
    await receiveSource(src, out);
    expect(tree(out)).toEqual(['.env', '.gitignore', 'dist/', 'dist/app.js']);
  });

  it('copies a wide tree completely (many operations in flight)', async () => {
    for (let d = 0; d < 20; d++) for (let f = 0; f < 50; f++) put(`d${d}/f${f}.txt`, `${d}-${f}`);
    const summary = await receiveSource(src, out);
    expect(summary.files).toBe(1000);
    expect(fs.readFileSync(path.join(out, 'd19/f49.txt'), 'utf8')).toBe('19-49');
  });

  it('copies files over 1 MB on the thread pool, whole and with their modes, beside the small ones', async () => {
    const big = Buffer.alloc((1 << 20) + 5, 7);
    put('small.js', 'x');
    fs.mkdirSync(path.join(src, 'assets'));
    fs.writeFileSync(path.join(src, 'assets', 'video.bin'), big);
    fs.chmodSync(path.join(src, 'assets', 'video.bin'), 0o750);
    const summary = await receiveSource(src, out);
    expect(summary.files).toBe(2);
    expect(fs.readFileSync(path.join(out, 'assets', 'video.bin')).equals(big)).toBe(true);
    expect(fs.statSync(path.join(out, 'assets', 'video.bin')).mode & 0o777).toBe(0o750);
  });

  it('names a missing source folder and what to do', async () => {
    await expect(receiveSource(path.join(tmp, 'nope'), out)).rejects.toThrow(/source folder '.*nope' does not exist or is not a folder/);
  });

  it.runIf(process.getuid?.() !== 0)('names an unreadable file in the user\'s folder, never the build folder', async () => {
    put('ok.js');
    put('secret/key.pem', 'k', 0o000);
    const err = await receiveSource(src, out).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(MinikError);
    expect((err as MinikError).message).toBe(`cannot copy ${path.join(src, 'secret/key.pem')} for the build: permission denied`);
    expect((err as MinikError).hint).toContain("list 'secret/key.pem' in .slugignore");
  });
});
