import { describe, expect, it } from 'vitest';
import { hostKey } from '../../../src/router/host.js';
import { app, autoClose, rawExchange, request, setApps } from './helpers.js';

const { backend, router } = autoClose();

describe('hostKey', () => {
  it.each([
    ['shop.localhost', 'shop.localhost'], ['Shop.LOCALHOST:7080', 'shop.localhost'], ['shop.localhost.', 'shop.localhost'],
    ['shop.localhost.:7080', 'shop.localhost'], ['shop.localhost:', 'shop.localhost'], ['127.0.0.1:7080', '127.0.0.1'],
    ['[::1]:7080', '[::1]'], ['a_b~c%41', 'a_b~c%41'],
  ])('%s → %s', (host, key) => expect(hostKey(host)).toBe(key));

  it.each([
    '', ':7080', 'app.localhost:@evil.com/x', 'app.localhost@evil.com', 'app.localhost/x', 'app.localhost:80x',
    'app localhost', 'app.localhost:1:2', '[::1', '[]', '[::1]x', '[zz]', 'a%4', 'a%zz', 'app\u00e9.localhost', 'a"b', 'a\\b',
  ])('rejects %j', (host) => expect(hostKey(host)).toBeNull());
});

describe('Router: Host header (RFC 9112 §3.2)', () => {
  it.each([
    ['an invalid Host', 'GET / HTTP/1.1\r\nHost: shop.localhost:@evil.com/x\r\n\r\n'],
    ['a Host with userinfo', 'GET / HTTP/1.1\r\nHost: evil@shop.localhost\r\n\r\n'],
    ['two Host headers', 'GET / HTTP/1.1\r\nHost: shop.localhost\r\nhost: evil.example\r\n\r\n'],
    ['two identical Host headers', 'GET / HTTP/1.1\r\nHost: shop.localhost\r\nHost: shop.localhost\r\n\r\n'],
    ['no Host (HTTP/1.0)', 'GET / HTTP/1.0\r\n\r\n'],
    ['an empty Host', 'GET / HTTP/1.1\r\nHost:\r\n\r\n'],
    ['an absolute-form target with userinfo', 'GET http://evil@shop.localhost/ HTTP/1.1\r\nHost: shop.localhost\r\n\r\n'],
    ['an absolute-form target with an invalid host', 'GET http://shop.localhost:x/ HTTP/1.1\r\nHost: shop.localhost\r\n\r\n'],
    ['an absolute-form target of another scheme', 'GET ftp://shop.localhost/ HTTP/1.1\r\nHost: shop.localhost\r\n\r\n'],
    ['an upgrade with two Host headers',
      'GET / HTTP/1.1\r\nHost: shop.localhost\r\nHost: evil.example\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
      'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n'],
  ])('answers 400 to %s, closes, and routes nothing', async (_name, raw) => {
    let hits = 0;
    const b = await backend((_q, res) => { hits++; res.end('routed'); });
    const r = await router();
    setApps(r, [app('shop', [b.port])]);
    const out = await rawExchange(r.port, raw);
    expect(out).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(out).toMatch(/\r\nconnection: close\r\n/i);
    expect(out).toContain('Host');
    expect(hits).toBe(0);
  });

  it('answers 400 to an HTTP/1.1 request without Host (node itself does)', async () => {
    const r = await router();
    expect(await rawExchange(r.port, 'GET / HTTP/1.1\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
  });

  it('forwards exactly one Host, the one the request was routed by', async () => {
    const b = await backend((req, res) => res.end(JSON.stringify(req.rawHeaders.filter((_v, i, a) => i % 2 === 1 && /^host$/i.test(a[i - 1]!)))));
    const r = await router();
    setApps(r, [app('shop', [b.port])]);
    expect(JSON.parse((await request(r.port, 'Shop.Localhost:7080')).body)).toEqual(['Shop.Localhost:7080']);
  });

  it('routes an absolute-form request by its URI, and forwards that host and the origin-form path', async () => {
    const shop = await backend((req, res) => res.end(`shop ${req.headers.host} ${req.url}`));
    const blog = await backend((_q, res) => res.end('blog'));
    const r = await router();
    setApps(r, [app('shop', [shop.port]), app('blog', [blog.port])]);
    const out = await rawExchange(r.port, 'GET http://SHOP.localhost:7080/x?y=1 HTTP/1.1\r\nHost: blog.localhost\r\nConnection: close\r\n\r\n');
    expect(out).toMatch(/^HTTP\/1\.1 200 /);
    expect(out.endsWith('shop SHOP.localhost:7080 /x?y=1')).toBe(true);
    expect(r.logs.at(-1)!.message).toMatch(/ path="\/x\?y=1" host=SHOP\.localhost:7080 /);
    const bare = await rawExchange(r.port, 'GET http://shop.localhost HTTP/1.1\r\nHost: shop.localhost\r\nConnection: close\r\n\r\n');
    expect(bare.endsWith('shop shop.localhost /')).toBe(true);
  });
});
