import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { CertStore, sniCallback } from '../../../src/certs/index.js';
import { MinikError } from '../../../src/core/errors.js';
import { app, autoClose, request, setApps, waitFor, type TestRouter } from './helpers.js';

const { cleanups, backend, router } = autoClose();

/** A router with HTTPS on a free port, certificates from a CA in a temporary MINIK_HOME. */
async function tlsRouter(): Promise<TestRouter & { https: number; store: CertStore; ca: string }> {
  const r = await router();
  const home = mkdtempSync(join(tmpdir(), 'minik-https-'));
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  const store = new CertStore(home);
  await r.router.listenHttps(0, sniCallback(store, (h) => r.router.routes(h), () => {}));
  return Object.assign(r, { https: r.router.httpsPort!, store, ca: (await store.authority()).certPem });
}

function get(port: number, servername: string, ca: string, host = servername): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, servername, ca, path: '/p', headers: { host }, agent: false }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject).end();
  });
}

describe('Router: HTTPS', () => {
  it('serves routed hosts over TLS with a certificate from the local CA, and says https to the dyno and in the log', async () => {
    let seen: http.IncomingHttpHeaders = {};
    const b = await backend((req, res) => { seen = req.headers; res.end('secure'); });
    const r = await tlsRouter();
    setApps(r, [app('shop', [b.port])]);
    expect(await get(r.https, 'shop.localhost', r.ca)).toEqual({ status: 200, body: 'secure' });
    expect(seen['x-forwarded-proto']).toBe('https');
    expect(seen['x-forwarded-port']).toBe(String(r.https));
    await waitFor(() => r.logs.length === 1);
    expect(r.logs.at(-1)!.message).toMatch(/host=shop\.localhost .* status=200 bytes=6 protocol=https$/);
    // The HTTP side is unchanged.
    await request(r.port, 'shop.localhost');
    expect(seen['x-forwarded-proto']).toBe('http');
    await waitFor(() => r.logs.length === 2);
    expect(r.logs.at(-1)!.message).toMatch(/protocol=http$/);
  });

  it("sends an app's own redirect to https to the HTTPS port, on the HTTP side only, and other redirects as they are", async () => {
    const b = await backend((req, res) => {
      const to = req.url === '/own' ? `https://${req.headers.host}/own` : req.url === '/bare' ? 'https://shop.localhost/bare' : 'https://example.com/x';
      res.writeHead(301, { Location: to }).end();
    });
    const r = await tlsRouter();
    setApps(r, [app('shop', [b.port])]);
    const host = `shop.localhost:${r.port}`;
    expect((await request(r.port, host, { path: '/own' })).headers.location).toBe(`https://shop.localhost:${r.https}/own`);
    expect((await request(r.port, host, { path: '/bare' })).headers.location).toBe(`https://shop.localhost:${r.https}/bare`);
    expect((await request(r.port, host, { path: '/away' })).headers.location).toBe('https://example.com/x');
    // Without HTTPS the router has no port to send them to: the redirect goes through unchanged.
    const plain = await router();
    setApps(plain, [app('shop', [b.port])]);
    expect((await request(plain.port, `shop.localhost:${plain.port}`, { path: '/own' })).headers.location).toBe(`https://shop.localhost:${plain.port}/own`);
  });

  it('answers the router\'s own pages over TLS too (no such app behind a routed SNI name)', async () => {
    const b = await backend();
    const r = await tlsRouter();
    setApps(r, [app('shop', [b.port])]);
    const res = await get(r.https, 'shop.localhost', r.ca, 'nope.localhost');
    expect(res.status).toBe(404);
    await waitFor(() => r.logs.length === 1);
    expect(r.logs.at(-1)!.message).toMatch(/^at=error code=no_such_app .* protocol=https$/);
  });

  it('refuses the handshake for a name it does not route, and mints no certificate for it', async () => {
    const b = await backend();
    const r = await tlsRouter();
    setApps(r, [app('shop', [b.port])]);
    await expect(get(r.https, 'evil.example', r.ca)).rejects.toThrow();
    expect(existsSync(r.store.paths.hosts)).toBe(false);
    await get(r.https, 'shop.localhost', r.ca);
    expect(readdirSync(r.store.paths.hosts)).toEqual(['shop.localhost.pem']);
  });

  it('carries WebSockets over wss:// with X-Forwarded-Proto https', async () => {
    const b = await backend();
    const wss = new WebSocketServer({ server: b.server });
    let proto: string | undefined;
    wss.on('connection', (ws, req) => {
      proto = req.headers['x-forwarded-proto'] as string;
      ws.on('message', (m) => ws.send(m.toString()));
    });
    cleanups.push(() => { for (const c of wss.clients) c.terminate(); wss.close(); });
    const r = await tlsRouter();
    setApps(r, [app('chat', [b.port])]);
    const ws = new WebSocket(`wss://127.0.0.1:${r.https}/socket`, { headers: { host: 'chat.localhost' }, servername: 'chat.localhost', ca: r.ca });
    cleanups.push(() => ws.terminate());
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const reply = new Promise<string>((resolve) => ws.once('message', (m) => resolve(m.toString())));
    ws.send('over tls');
    expect(await reply).toBe('over tls');
    expect(proto).toBe('https');
    await waitFor(() => r.logs.length === 1);
    expect(r.logs.at(-1)!.message).toMatch(/status=101 .*protocol=https$/);
  });

  it('rejects a taken port with a sentence that names MINIK_HTTPS_PORT, and keeps serving HTTP', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const taken = (blocker.address() as net.AddressInfo).port;
    const b = await backend((_q, s) => s.end('still http'));
    const r = await router();
    setApps(r, [app('shop', [b.port])]);
    const home = mkdtempSync(join(tmpdir(), 'minik-https-'));
    cleanups.push(() => rmSync(home, { recursive: true, force: true }));
    const err = await r.router.listenHttps(taken, sniCallback(new CertStore(home), () => true, () => {})).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MinikError);
    expect((err as MinikError).message).toBe(`port ${taken} is already in use on 127.0.0.1`);
    expect((err as MinikError).hint).toContain('MINIK_HTTPS_PORT');
    expect(r.router.httpsPort).toBeNull();
    expect((await request(r.port, 'shop.localhost')).body).toBe('still http');
  });
});
