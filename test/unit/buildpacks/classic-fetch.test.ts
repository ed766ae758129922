// Fetching classic buildpacks (a .tgz over HTTP, cached by URL) and the environment their scripts see.
import { readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportedVariables, parseEnvZero, writeEnvDir } from '../../../src/buildpacks/classic/environment.js';
import { fetchBuildpack } from '../../../src/buildpacks/classic/fetch.js';
import { buildEnv } from '../../../src/buildpacks/exec.js';
import { FIXTURES, buildContext, tempDirs } from './helpers.js';

const temp = tempDirs();
let server: Server;
let base = '';
let requests = 0;
let tgz: Buffer;

beforeAll(async () => {
  // GitHub-style archive: the buildpack inside one top-level folder.
  const dir = await temp.make();
  const file = path.join(dir, 'second.tgz');
  await execa('tar', ['-czf', file, '-C', path.join(FIXTURES, 'buildpacks'), 'second']);
  tgz = await readFile(file);
  server = createServer((req, res) => {
    requests++;
    if (req.url === '/bp.tgz') res.end(tgz);
    else res.writeHead(404, 'Not Found').end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await temp.cleanup();
});

describe('fetchBuildpack', () => {
  it('downloads and unpacks a .tgz URL once, keyed by URL and ref', async () => {
    const home = await temp.make();
    const ctx = buildContext(await temp.make(), await temp.make());
    const first = await fetchBuildpack(ctx, `${base}/bp.tgz#v1`, home);
    expect((await stat(path.join(first, 'bin', 'compile'))).mode & 0o111).not.toBe(0);
    expect(ctx.lines).toContain(`-----> Fetching buildpack ${base}/bp.tgz#v1`);
    const seen = requests;
    expect(await fetchBuildpack(ctx, `${base}/bp.tgz#v1`, home)).toBe(first);
    expect(requests).toBe(seen);
    expect(await fetchBuildpack(ctx, `${base}/bp.tgz#v2`, home)).not.toBe(first);
  });

  it('names the URL and the reason when it cannot fetch, and leaves nothing behind', async () => {
    const home = await temp.make();
    const ctx = buildContext(await temp.make(), await temp.make());
    await expect(fetchBuildpack(ctx, `${base}/missing.tgz`, home)).rejects.toThrow(`could not fetch buildpack ${base}/missing.tgz: HTTP 404 Not Found`);
    await expect(fetchBuildpack(ctx, '/no/such/buildpack', home)).rejects.toThrow('could not fetch buildpack /no/such/buildpack: /no/such/buildpack does not exist');
    const notGit = await temp.make();
    await expect(fetchBuildpack(ctx, `${notGit}#main`, home)).rejects.toThrow(`could not fetch buildpack ${notGit}#main: `);
    expect(await import('node:fs/promises').then((fs) => fs.readdir(home))).toEqual([]);
  });

  it('uses a local folder in place', async () => {
    const ctx = buildContext(await temp.make(), await temp.make());
    const local = path.join(FIXTURES, 'buildpacks', 'hello');
    expect(await fetchBuildpack(ctx, local, await temp.make())).toBe(local);
  });
});

describe('classic buildpack environment', () => {
  it('writes ENV_DIR as one private file per config var', async () => {
    const dir = path.join(await temp.make(), 'env');
    await writeEnvDir(dir, { GREETING: 'hi there', MULTI: 'a\nb' });
    expect(await readFile(path.join(dir, 'GREETING'), 'utf8')).toBe('hi there');
    expect(await readFile(path.join(dir, 'MULTI'), 'utf8')).toBe('a\nb');
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(dir, 'GREETING'))).mode & 0o777).toBe(0o600);
  });

  it('sources export files in order and returns what they set or changed', async () => {
    const dir = await temp.make();
    await mkdir(path.join(dir, 'a'));
    await writeFile(path.join(dir, 'a', 'export'), 'export FIRST=1\nexport SHARED=from-a\nLOCAL_ONLY=x\n');
    await writeFile(path.join(dir, 'b-export'), 'export SHARED="from b, after $FIRST"\nexport PATH="/opt/b/bin:$PATH"\n');
    const ctx = buildContext(dir, dir);
    const base = buildEnv({});
    const vars = await exportedVariables(ctx, [path.join(dir, 'a', 'export'), path.join(dir, 'b-export')], base, dir);
    expect(vars).toEqual({ FIRST: '1', SHARED: 'from b, after 1', PATH: `/opt/b/bin:${base.PATH}` });
    expect(parseEnvZero('A=1\0B=x=y\0\0')).toEqual({ A: '1', B: 'x=y' });
  });
});
