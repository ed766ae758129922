import http from 'node:http';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { MinikError } from '../../../src/core/errors.js';
import { Router } from '../../../src/router/proxy.js';
import { app, autoClose, postChunks, rawExchange, request, setApps } from './helpers.js';

const { backend, router } = autoClose();
const hello = (name: string): http.RequestListener => (_req, res) => res.end(name);

describe('Router: proxying', () => {
  it('balances round robin across 3 backends', async () => {
    const bs = await Promise.all(['a', 'b', 'c'].map((n) => backend(hello(n))));
    const r = await router();
    setApps(r, [app('shop', bs.map((b) => b.port))]);
    const got: string[] = [];
    for (let i = 0; i < 6; i++) got.push((await request(r.port, 'shop.localhost')).body);
    expect(got).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('adds Heroku\'s forwarding headers and keeps a valid client request id', async () => {
    let seen: http.IncomingHttpHeaders = {};
    const b = await backend((req, res) => { seen = req.headers; res.end('ok'); });
    const r = await router();
    setApps(r, [app('shop', [b.port], { hosts: ['shop.test'] })]);
    const before = Date.now();
    const res = await request(r.port, `Shop.Test:${r.port}`, { headers: { 'x-forwarded-for': '10.0.0.1', connection: 'close' } });
    expect(res.status).toBe(200);
    expect(seen['host']).toBe(`Shop.Test:${r.port}`);
    expect(seen['x-forwarded-for']).toBe('10.0.0.1, 127.0.0.1');
    expect(seen['x-forwarded-proto']).toBe('http');
    expect(seen['x-forwarded-port']).toBe(String(r.port));
    expect(seen['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(seen['x-request-start'])).toBeGreaterThanOrEqual(before);
    expect(seen['via']).toBe('1.1 minik');
    expect(res.headers['x-request-id']).toBeUndefined();

    const id = 'client-id-0123456789+/=';
    await request(r.port, 'shop.localhost', { headers: { 'x-request-id': id } });
    expect(seen['x-request-id']).toBe(id);
    await request(r.port, 'shop.localhost', { headers: { 'x-request-id': 'short' } });
    expect(seen['x-request-id']).not.toBe('short');
  });

  it('logs one Heroku-style line per request', async () => {
    const b = await backend(hello('hello, world!'));
    const r = await router();
    setApps(r, [app('shop', [b.port])]);
    await request(r.port, 'shop.localhost', { path: '/a?b=1' });
    expect(r.logs).toHaveLength(1);
    expect(r.logs[0]!.app).toBe('shop');
    expect(r.logs[0]!.message).toMatch(
      /^at=info method=GET path="\/a\?b=1" host=shop\.localhost request_id=[0-9a-f-]{36} fwd="127\.0\.0\.1" dyno=web\.1 connect=\d+ms service=\d+ms status=200 bytes=13 protocol=http$/);
  });

  it('relays request bodies, chunked ones included, and response status and headers', async () => {
    const b = await backend((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => res.writeHead(201, { 'x-echo': 'yes' }).end(Buffer.concat(chunks)));
    });
    const r = await router();
    setApps(r, [app('shop', [b.port])]);
    const big = Buffer.alloc(200_000, 'x');
    const small = await request(r.port, 'shop.localhost', { method: 'POST', body: 'hello' });
    expect(small).toMatchObject({ status: 201, body: 'hello' });
    expect(small.headers['x-echo']).toBe('yes');
    expect((await request(r.port, 'shop.localhost', { method: 'PUT', body: big })).body.length).toBe(big.length);
    expect((await request(r.port, 'shop.localhost', { method: 'POST', body: 'chunky', headers: { 'transfer-encoding': 'chunked' } })).body).toBe('chunky');
  });

  it('accepts a request with a Trailer header and a chunked body with trailers', async () => {
    const b = await backend((req, res) => { req.resume(); req.on('end', () => res.end('got it')); });
    const r = await router();
    setApps(r, [app('shop', [b.port])]);
    const raw = await rawExchange(r.port,
      'POST / HTTP/1.1\r\nHost: shop.localhost\r\nTrailer: X-Checksum\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n' +
      '5\r\nhello\r\n0\r\nX-Checksum: abc\r\n\r\n');
    expect(raw).toMatch(/^HTTP\/1\.1 200/);
    expect(raw).toContain('got it');
  });

  it('does not forward the request headers the client\'s Connection header names', async () => {
    const b = await backend((req, res) => res.end(JSON.stringify(req.headers)));
    const r = await router();
    setApps(r, [app('shop', [b.port])]);
    const raw = await rawExchange(r.port, 'GET / HTTP/1.1\r\nHost: shop.localhost\r\nX-Hop: secret\r\nConnection: close, X-Hop\r\n' +
      'connection: x-other\r\nX-Other: 1\r\nX-Kept: 2\r\n\r\n');
    const seen = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));
    expect(seen).toMatchObject({ 'x-kept': '2' });
    expect(seen['x-hop']).toBeUndefined();
    expect(seen['x-other']).toBeUndefined();
  });

  it('honours the client\'s Connection: close while keeping the dyno connection alive', async () => {
    const b = await backend(hello('ok'));
    const r = await router();
    setApps(r, [app('shop', [b.port])]);
    const raw = await rawExchange(r.port, 'GET / HTTP/1.1\r\nHost: shop.localhost\r\nConnection: close\r\n\r\n');
    expect(raw).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(raw).toMatch(/\r\nConnection: close\r\n/i);
    expect(raw).not.toMatch(/keep-alive/i);
    await request(r.port, 'shop.localhost');
    expect(b.accepted()).toBe(1);
  });

  it('relays HEAD, Expect: 100-continue, absolute-form targets and dyno trailers', async () => {
    const b = await backend((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url === '/trailers') {
          res.writeHead(200, { trailer: 'x-sum', 'content-type': 'text/plain' });
          res.write('body');
          res.addTrailers({ 'x-sum': '1' });
          return void res.end();
        }
        res.setHeader('x-url', req.url ?? '');
        res.end('hello');
      });
    });
    const r = await router();
    setApps(r, [app('shop', [b.port])]);
    const head = await request(r.port, 'shop.localhost', { method: 'HEAD' });
    expect(head).toMatchObject({ status: 200, body: '' });
    const expectRes = await request(r.port, 'shop.localhost', { method: 'POST', body: 'x', headers: { expect: '100-continue' } });
    expect(expectRes.body).toBe('hello');
    const abs = await rawExchange(r.port, 'GET http://shop.localhost/p?q=1 HTTP/1.1\r\nHost: elsewhere.example\r\nConnection: close\r\n\r\n');
    expect(abs).toMatch(/\r\nx-url: \/p\?q=1\r\n/i);
    expect((await request(r.port, 'shop.localhost', { path: '/trailers' })).body).toBe('body');
  });

  it('streams a chunked body larger than the retry buffer', async () => {
    const b = await backend((req, res) => {
      let n = 0;
      req.on('data', (c: Buffer) => { n += c.length; });
      req.on('end', () => res.end(String(n)));
    });
    const r = await router();
    setApps(r, [app('shop', [b.port])]);
    const body = await postChunks(r.port, 'shop.localhost', Array.from({ length: 10 }, () => Buffer.alloc(20_000, 'y')));
    expect(body).toBe('200000');
  });

  it('answers 400 to an invalid header name and keeps serving', async () => {
    const b = await backend(hello('fine'));
    const r = await router();
    setApps(r, [app('shop', [b.port])]);
    const raw = await rawExchange(r.port, 'GET / HTTP/1.1\r\nHost: shop.localhost\r\nBad Header: x\r\n\r\n');
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect((await request(r.port, 'shop.localhost')).body).toBe('fine');
  });

  it('serves 1,000 concurrent connections', async () => {
    const b = await backend(hello('ok'));
    const r = await router();
    setApps(r, [app('shop', [b.port])]);
    const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
    const replies = await Promise.all(Array.from({ length: 1000 }, () => request(r.port, 'shop.localhost', { agent })));
    agent.destroy();
    expect(replies.filter((x) => x.status === 200 && x.body === 'ok')).toHaveLength(1000);
  }, 20_000);
});

describe('Router: listening', () => {
  it('exposes the bound port when asked for port 0', async () => {
    const r = await router();
    expect(r.port).toBeGreaterThan(0);
  });

  it('rejects with a MinikError naming the port and MINIK_PORT when the port is taken', async () => {
    const r = await router();
    const second = new Router({ port: r.port, onLog: () => {} });
    const err = await second.listen().then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(MinikError);
    expect(err).toMatchObject({ code: 'port_in_use', message: `port ${r.port} is already in use on 127.0.0.1` });
    expect((err as MinikError).hint).toContain(`MINIK_PORT=${r.port + 1} minik daemon start`);
    await second.close();
  });
});
