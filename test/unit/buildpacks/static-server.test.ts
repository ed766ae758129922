import { mkdir, symlink, utimes, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { networkInterfaces } from 'node:os';
import { build } from 'esbuild';
import { createStaticServer, listenStatic } from '../../../src/buildpacks/static-server.js';
import { staticBuildpack, staticServerPath } from '../../../src/buildpacks/static.js';
import { FIXTURES, buildContext, tempDirs } from './helpers.js';

const temp = tempDirs();
let server: http.Server;
let port: number;
let outside: string;

interface Reply { status: number; headers: http.IncomingHttpHeaders; body: string }

/** A raw request: the path is sent as written, without the client normalising it. */
function request(rawPath: string, opts: { method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: rawPath, method: opts.method ?? 'GET', headers: opts.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  const root = await temp.make('minik-static-');
  outside = await temp.make('minik-outside-');
  await writeFile(path.join(outside, 'secret.txt'), 'outside secret');
  const files: Record<string, string> = {
    'index.html': '<h1>home</h1>', 'style.css': 'body{}', 'app.js': 'x', 'mod.mjs': 'x', 'data.json': '{}',
    'logo.svg': '<svg/>', 'a.png': 'p', 'b.jpg': 'j', 'c.gif': 'g', 'd.webp': 'w', 'favicon.ico': 'i',
    'notes.txt': 'hello', 'm.wasm': 'w', 'f.woff2': 'f', 'app.js.map': '{}', 'blob.bin': 'b',
    'sub/index.html': '<h1>sub</h1>', 'empty/readme.txt': 'no index here', 'evil.example/index.html': 'x',
    '.env': 'SECRET=1', '.git/config': '[core]', 'sub/.hidden': 'h',
  };
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), text);
  }
  await utimes(path.join(root, 'notes.txt'), new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
  await symlink(path.join(outside, 'secret.txt'), path.join(root, 'link-out.txt'));
  await symlink(outside, path.join(root, 'dir-out'));
  await symlink('style.css', path.join(root, 'link-in.css'));
  await symlink('.env', path.join(root, 'env-link.txt'));
  server = createStaticServer(root);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await temp.cleanup();
});

describe('static server', () => {
  it.each([
    ['/index.html', 'text/html; charset=utf-8'], ['/style.css', 'text/css; charset=utf-8'],
    ['/app.js', 'text/javascript; charset=utf-8'], ['/mod.mjs', 'text/javascript; charset=utf-8'],
    ['/data.json', 'application/json; charset=utf-8'], ['/logo.svg', 'image/svg+xml'], ['/a.png', 'image/png'],
    ['/b.jpg', 'image/jpeg'], ['/c.gif', 'image/gif'], ['/d.webp', 'image/webp'], ['/favicon.ico', 'image/x-icon'],
    ['/notes.txt', 'text/plain; charset=utf-8'], ['/m.wasm', 'application/wasm'], ['/f.woff2', 'font/woff2'],
    ['/app.js.map', 'application/json; charset=utf-8'], ['/blob.bin', 'application/octet-stream'],
  ])('serves %s as %s', async (p, type) => {
    const r = await request(p);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe(type);
  });

  it('serves index.html for / and for a folder with a trailing slash', async () => {
    expect((await request('/')).body).toBe('<h1>home</h1>');
    expect((await request('/sub/')).body).toBe('<h1>sub</h1>');
    expect((await request('/sub/?q=1')).body).toBe('<h1>sub</h1>');
  });

  it('redirects a folder without its trailing slash, keeping the query', async () => {
    const r = await request('/sub?x=1');
    expect(r.status).toBe(301);
    expect(r.headers.location).toBe('/sub/?x=1');
    expect((await request('//evil.example')).headers.location).toBe('/evil.example/');
  });

  it('answers 404 with a page for missing files and folders without index.html', async () => {
    const r = await request('/nope.html');
    expect(r.status).toBe(404);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.body).toContain('404 Not Found');
    expect((await request('/empty/')).status).toBe(404);
  });

  it('answers HEAD with headers only', async () => {
    const r = await request('/notes.txt', { method: 'HEAD' });
    expect(r.status).toBe(200);
    expect(r.headers['content-length']).toBe('5');
    expect(r.body).toBe('');
  });

  it('sends Last-Modified and answers 304 to If-Modified-Since', async () => {
    const r = await request('/notes.txt');
    expect(r.headers['last-modified']).toBe('Thu, 01 Jan 2026 00:00:00 GMT');
    const again = await request('/notes.txt', { headers: { 'If-Modified-Since': r.headers['last-modified']! } });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    const older = await request('/notes.txt', { headers: { 'If-Modified-Since': 'Wed, 31 Dec 2025 00:00:00 GMT' } });
    expect(older.status).toBe(200);
  });

  it.each(['/../etc/passwd', '/%2e%2e/etc/passwd', '/%2E%2E%2Fetc%2Fpasswd', '/sub/../../etc/passwd', '/..%2f..%2fetc/passwd'])(
    'refuses the traversal %s',
    async (p) => {
      const r = await request(p);
      expect(r.status).toBe(403);
      expect(r.body).not.toContain('root:');
    },
  );

  it('rejects NUL bytes and broken percent-encoding', async () => {
    expect((await request('/index.html%00.txt')).status).toBe(400);
    expect((await request('/%E0%A4%A')).status).toBe(400);
  });

  it('refuses symlinks that lead outside the root and follows those inside it', async () => {
    expect((await request('/link-out.txt')).status).toBe(403);
    expect((await request('/dir-out/secret.txt')).status).toBe(403);
    expect((await request('/link-in.css')).body).toBe('body{}');
  });

  it.each(['/.env', '/.git/config', '/sub/.hidden', '/%2eenv', '/env-link.txt'])('hides the dotfile %s', async (p) => {
    const r = await request(p);
    expect(r.status).toBe(404);
    expect(r.body).not.toContain('SECRET');
  });

  it('allows only GET and HEAD', async () => {
    const r = await request('/index.html', { method: 'POST' });
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe('GET, HEAD');
  });
});

describe('static server binding', () => {
  it('listenStatic binds 127.0.0.1 only', async () => {
    const s = await listenStatic(await temp.make('minik-static-'), 0);
    try {
      expect(s.address()).toMatchObject({ address: '127.0.0.1', family: 'IPv4' });
    } finally {
      await new Promise((resolve) => s.close(resolve));
    }
  });

  it('run as a dyno ($PORT), answers on 127.0.0.1 and on no other interface', async () => {
    const dir = await temp.make('minik-static-run-');
    await writeFile(path.join(dir, 'index.html'), 'up');
    const entry = path.join(dir, 'static-server.mjs');
    await build({ entryPoints: [path.resolve(FIXTURES, '../src/buildpacks/static-server.ts')], bundle: true, platform: 'node',
      format: 'esm', outfile: entry, logLevel: 'silent' });
    const free = await listenStatic(dir, 0);
    const dynoPort = (free.address() as AddressInfo).port;
    await new Promise((resolve) => free.close(resolve));
    const child = spawn(process.execPath, [entry], { cwd: dir, env: { ...process.env, PORT: String(dynoPort) }, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout!.once('data', () => resolve());
        child.once('exit', (code) => reject(new Error(`static server exited ${code}`)));
      });
      expect(await (await fetch(`http://127.0.0.1:${dynoPort}/`)).text()).toBe('up');
      const external = Object.values(networkInterfaces()).flat().find((i) => i && !i.internal && i.family === 'IPv4')?.address;
      if (external) await expect(connectTo(external, dynoPort)).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});

/** Resolves once a TCP connection to host:port is made (then closes it). */
function connectTo(host: string, p: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = net.connect(p, host, () => { s.destroy(); resolve(); });
    s.on('error', reject);
  });
}

describe('static buildpack', () => {
  it('has no build step and runs the static server as web', async () => {
    const ctx = buildContext(await temp.make(), await temp.make());
    const result = await staticBuildpack.build(ctx);
    expect(ctx.lines[0]).toBe('-----> Static site detected');
    expect(staticServerPath()).toBe(path.resolve(FIXTURES, '../dist/buildpacks/static-server.js'));
    // Self-contained: the node and the server of the minik running the dyno, found at its start.
    expect(result.defaultProcessTypes.web).toBe('node "$MINIK_STATIC_SERVER"');
  });
});
