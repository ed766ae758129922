import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { app, autoClose, postChunks, request, setApps, sleep, waitFor } from './helpers.js';

const { cleanups, backend, router } = autoClose();

interface RawBackend { port: number; requests: string[]; accepted(): number; open(): number }
/** A TCP server that answers each request head it reads with `answer(head)` (bodies are not expected). */
async function rawBackend(answer: (head: string, socket: net.Socket) => void): Promise<RawBackend> {
  const requests: string[] = [];
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((s) => {
    accepted++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    let buf = '';
    s.on('data', (c) => {
      buf += c.toString('latin1');
      const end = buf.indexOf('\r\n\r\n');
      if (end === -1) return;
      const head = buf.slice(0, end + 4);
      buf = buf.slice(end + 4);
      requests.push(head);
      answer(head, s);
    });
    s.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }));
  return { port: (server.address() as AddressInfo).port, requests, accepted: () => accepted, open: () => sockets.size };
}

describe('Router: raw upstream responses', () => {
  it('relays a chunked response de-chunked, and reuses the connection', async () => {
    const b = await rawBackend((_h, s) => s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n5\r\nhello\r\n6;x=y\r\n world\r\n0\r\nX-T: t\r\n\r\n'));
    const r = await router();
    setApps(r, [app('shop', [b.port])]);
    for (let i = 0; i < 3; i++) {
      const res = await request(r.port, 'shop.localhost');
      expect(res).toMatchObject({ status: 200, body: 'hello world' });
      expect(res.headers['x-a']).toBe('1');
    }
    expect(b.accepted()).toBe(1);
    expect(r.logs.at(-1)!.message).toContain('bytes=11');
  });

  it('relays HEAD, 204 and 304 without waiting for a body', async () => {
    const b = await rawBackend((h, s) => {
      if (h.startsWith('HEAD')) s.write('HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\n');
      else if (h.startsWith('GET /204')) s.write('HTTP/1.1 204 No Content\r\n\r\n');
      else s.write('HTTP/1.1 304 Not Modified\r\nETag: "x"\r\n\r\n');
    });
    const r = await router({ requestTimeoutMs: 1000, idleTimeoutMs: 1000 });
    setApps(r, [app('shop', [b.port])]);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    cleanups.push(() => agent.destroy());
    const head = await request(r.port, 'shop.localhost', { method: 'HEAD', agent });
    expect(head).toMatchObject({ status: 200, body: '' });
    expect(head.headers['content-length']).toBe('13');
    expect(await request(r.port, 'shop.localhost', { path: '/204', agent })).toMatchObject({ status: 204, body: '' });
    const nm = await request(r.port, 'shop.localhost', { path: '/304', agent });
    expect(nm).toMatchObject({ status: 304, body: '' });
    expect(nm.headers.etag).toBe('"x"');
    expect(b.accepted()).toBe(1);
    expect(r.logs.every((l) => l.message.startsWith('at=info'))).toBe(true);
  });

  it('reads a close-delimited HTTP/1.0 response to the end and does not reuse its socket', async () => {
    const b = await rawBackend((_h, s) => { s.write('HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nold '); setTimeout(() => s.end('school'), 20); });
    const r = await router();
    setApps(r, [app('shop', [b.port])]);
    expect(await request(r.port, 'shop.localhost')).toMatchObject({ status: 200, body: 'old school' });
    expect(await request(r.port, 'shop.localhost')).toMatchObject({ status: 200, body: 'old school' });
    expect(b.accepted()).toBe(2);
    expect(r.logs.at(-1)!.message).toMatch(/^at=info .* status=200 bytes=10 /);
  });

  it('relays a response whose bytes and close arrive together (read and closed in one event-loop turn)', async () => {
    const b = await rawBackend((h, s) => s.end(h.startsWith('GET /old')
      ? 'HTTP/1.0 200 OK\r\n\r\nall at once'
      : 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
    const r = await router();
    setApps(r, [app('shop', [b.port])]);
    for (let i = 0; i < 5; i++) {
      expect(await request(r.port, 'shop.localhost', { path: '/old' })).toMatchObject({ status: 200, body: 'all at once' });
      expect(await request(r.port, 'shop.localhost')).toMatchObject({ status: 200, body: 'ok' });
    }
    expect(r.logs.every((l) => l.message.startsWith('at=info'))).toBe(true);
    await waitFor(() => b.open() === 0); // nothing pooled: each of these sockets was closed by the dyno
  });

  it('does not reuse a connection that sent bytes after its response', async () => {
    const b = await rawBackend((_h, s) => s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nforge'));
    const r = await router();
    setApps(r, [app('shop', [b.port])]);
    expect((await request(r.port, 'shop.localhost')).body).toBe('ok');
    expect((await request(r.port, 'shop.localhost')).body).toBe('ok');
    expect(b.accepted()).toBe(2);
  });

  it('skips 100 Continue and 103 Early Hints', async () => {
    const b = await rawBackend((_h, s) => {
      s.write('HTTP/1.1 100 Continue\r\n\r\n');
      setTimeout(() => s.write('HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfinal'), 10);
    });
    const r = await router();
    setApps(r, [app('shop', [b.port])]);
    const res = await request(r.port, 'shop.localhost');
    expect(res).toMatchObject({ status: 200, body: 'final' });
    expect(res.headers.link).toBeUndefined();
  });

  it('answers H17 to an invalid response head, and H18 to an invalid chunk mid-body', async () => {
    const b = await rawBackend((h, s) => {
      if (h.startsWith('POST /head')) s.write('HTTP/9 what\r\n\r\n');
      else if (h.startsWith('GET /ctl')) s.write('HTTP/1.1 200 OK\r\nX-A: 1\u00012\r\nContent-Length: 0\r\n\r\n');
      else s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\n');
    });
    const r = await router();
    setApps(r, [app('shop', [b.port])]);
    expect((await request(r.port, 'shop.localhost', { path: '/head', method: 'POST', body: 'x' })).status).toBe(503);
    expect(r.logs.at(-1)!.message).toMatch(/^at=error code=H17 desc="Poorly formatted HTTP response" /);
    expect((await request(r.port, 'shop.localhost', { path: '/ctl' })).status).toBe(503); // node's writeHead refuses the value
    expect(r.logs.at(-1)!.message).toMatch(/^at=error code=H17 /);
    await expect(request(r.port, 'shop.localhost', { path: '/chunk' })).rejects.toThrow();
    await waitFor(() => r.logs.at(-1)!.message.startsWith('at=error code=H18'));
    expect(r.logs.at(-1)!.message).toContain('bytes=3');
  });

  it('relays Transfer-Encoding: gzip, chunked with its gzip, and drops the headers Connection names', async () => {
    const gz = gzipSync('hello gzip');
    const b = await rawBackend((_h, s) => {
      s.write('HTTP/1.1 200 OK\r\nConnection: X-Hop\r\nX-Hop: secret\r\nX-End: kept\r\nTransfer-Encoding: gzip, chunked\r\n\r\n');
      s.write(Buffer.concat([Buffer.from(`${gz.length.toString(16)}\r\n`), gz, Buffer.from('\r\n0\r\n\r\n')]));
    });
    const r = await router();
    setApps(r, [app('shop', [b.port])]);
    const raw = await new Promise<Buffer>((resolve, reject) => {
      const s = net.connect(r.port, '127.0.0.1', () => s.write('GET / HTTP/1.1\r\nHost: shop.localhost\r\nConnection: close\r\n\r\n'));
      const chunks: Buffer[] = [];
      s.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
    });
    const at = raw.indexOf('\r\n\r\n');
    const head = raw.subarray(0, at).toString('latin1');
    expect(head).toMatch(/\r\nTransfer-Encoding: gzip, chunked(\r\n|$)/i);
    expect(head).toMatch(/\r\nX-End: kept(\r\n|$)/i);
    expect(head).not.toMatch(/x-hop/i);
    // de-chunk what the client got: still the gzip bytes, which the client gunzips
    let body = raw.subarray(at + 4);
    const parts: Buffer[] = [];
    for (;;) {
      const nl = body.indexOf('\r\n');
      const size = parseInt(body.subarray(0, nl).toString(), 16);
      if (size === 0) break;
      parts.push(body.subarray(nl + 2, nl + 2 + size));
      body = body.subarray(nl + 4 + size);
    }
    expect(gunzipSync(Buffer.concat(parts)).toString()).toBe('hello gzip');
  });

  it('answers H17 to an invalid response on a reused socket instead of sending the request again', async () => {
    const b = await rawBackend((h, s) => s.write(h.startsWith('GET /bad')
      ? 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nok'
      : 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
    const r = await router();
    setApps(r, [app('shop', [b.port])]);
    expect((await request(r.port, 'shop.localhost')).body).toBe('ok');
    expect(r.router.pool.idleCount(b.port)).toBe(1); // the next request goes out on this pooled socket
    const bad = await request(r.port, 'shop.localhost', { path: '/bad', headers: { accept: 'application/json' } });
    expect(bad.status).toBe(503);
    expect(JSON.parse(bad.body).error.code).toBe('H17');
    expect(b.requests.filter((h) => h.startsWith('GET /bad')).length).toBe(1);
    expect(r.router.balancer.isQuarantined(b.port, Date.now())).toBe(false); // the dyno is up: it answered badly
  });

  it('forwards a chunked request body larger than the retry buffer with its own chunk framing', async () => {
    const b = await backend((req, res) => {
      let n = 0;
      req.on('data', (c: Buffer) => { n += c.length; });
      req.on('end', () => res.end(`${req.headers['transfer-encoding']} ${req.headers['content-length']} ${n}`));
    });
    const r = await router();
    setApps(r, [app('shop', [b.port])]);
    const body = await postChunks(r.port, 'shop.localhost', Array.from({ length: 5 }, () => Buffer.alloc(30_000, 'z')));
    expect(body).toBe('chunked undefined 150000');
    const small = await request(r.port, 'shop.localhost', { method: 'POST', body: 'tiny', headers: { 'transfer-encoding': 'chunked' } });
    expect(small.body).toBe('undefined 4 4'); // a small chunked body is buffered and sent with a length
  });
});

describe('Router: dyno connection pool', () => {
  it('uses one backend connection for 20 sequential requests', async () => {
    const b = await backend((_q, s) => s.end('ok'));
    const r = await router();
    setApps(r, [app('shop', [b.port])]);
    for (let i = 0; i < 20; i++) expect((await request(r.port, 'shop.localhost')).body).toBe('ok');
    expect(b.accepted()).toBe(1);
  });

  it('does not reuse a connection after the dyno says Connection: close', async () => {
    const b = await backend((_q, s) => { s.setHeader('connection', 'close'); s.end('bye'); });
    const r = await router();
    setApps(r, [app('shop', [b.port])]);
    for (let i = 0; i < 3; i++) expect((await request(r.port, 'shop.localhost')).body).toBe('bye');
    expect(b.accepted()).toBe(3);
    expect(r.logs.every((l) => l.message.startsWith('at=info'))).toBe(true);
  });

  it('retries a GET without quarantine when a pooled connection turns out closed', async () => {
    const b = await rawBackend((_h, s) => s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
    const r = await router();
    setApps(r, [app('shop', [b.port])]);
    expect((await request(r.port, 'shop.localhost')).body).toBe('ok');
    const [pooled] = [...(r.router.pool as unknown as { all: Set<{ socket: net.Socket }> }).all];
    // The dyno closed it while idle and the router has not seen the FIN yet: the write fails.
    pooled!.socket.write = ((): boolean => { pooled!.socket.destroy(Object.assign(new Error('reset'), { code: 'ECONNRESET' })); return false; }) as never;
    expect((await request(r.port, 'shop.localhost')).body).toBe('ok');
    expect(r.router.balancer.isQuarantined(b.port, Date.now())).toBe(false);
  });

  it('sends even a POST elsewhere when its pooled socket closed before the request was written to it', async () => {
    const seen: string[] = [];
    const one = await backend((req, res) => { req.resume(); req.on('end', () => { seen.push(`web.1 ${req.method}`); res.end('one'); }); });
    const two = await backend((req, res) => { req.resume(); req.on('end', () => { seen.push(`web.2 ${req.method}`); res.end('two'); }); });
    const r = await router();
    setApps(r, [app('shop', [one.port, two.port])]);
    await request(r.port, 'shop.localhost');
    await request(r.port, 'shop.localhost'); // both dynos now have a pooled socket; the next request goes to web.1
    const pool = r.router.pool;
    const acquire = pool.acquire.bind(pool);
    pool.acquire = (port: number) => {
      const c = acquire(port);
      pool.acquire = acquire;
      // the dyno closed it and the router reads the reset in this very turn, before the request leaves
      c.socket.destroy(Object.assign(new Error('reset'), { code: 'ECONNRESET' }));
      return c;
    };
    const res = await request(r.port, 'shop.localhost', { method: 'POST', body: 'order' });
    expect(res.status).toBe(200);
    expect(seen.filter((s) => s.endsWith('POST'))).toHaveLength(1);
    expect(r.logs.at(-1)!.message).toMatch(/^at=info method=POST /);
  });

  it('keeps a slow client from making the router buffer the whole response', async () => {
    const total = 32 * 1024 * 1024;
    let sent = 0;
    const b = await backend((_q, res) => {
      res.writeHead(200, { 'content-length': String(total) });
      const piece = Buffer.alloc(64 * 1024, 'b');
      const pump = (): void => {
        while (sent < total) {
          sent += piece.length;
          if (!res.write(piece)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    const r = await router();
    setApps(r, [app('shop', [b.port])]);
    const s = net.connect(r.port, '127.0.0.1');
    cleanups.push(() => void s.destroy());
    let got = 0;
    s.on('data', (c) => { got += c.length; });
    s.write('GET / HTTP/1.1\r\nHost: shop.localhost\r\n\r\n');
    await waitFor(() => got > 0);
    s.pause();
    await sleep(300);
    expect(sent).toBeLessThan(total / 2); // socket buffers on both hops, but far from the whole body
    s.resume();
    await waitFor(() => got >= total, 10_000);
    await waitFor(() => r.logs.length === 1);
    expect(r.logs[0]!.message).toContain(`bytes=${total}`);
  }, 15_000);

  it('client abort mid-response: the upstream socket is destroyed, not pooled', async () => {
    const b = await backend((_q, res) => {
      res.writeHead(200);
      const t = setInterval(() => res.write('tick\n'), 5);
      res.on('close', () => clearInterval(t));
    });
    const r = await router();
    setApps(r, [app('shop', [b.port])]);
    await new Promise<void>((resolve) => {
      const req = http.request({ port: r.port, host: '127.0.0.1', headers: { host: 'shop.localhost' }, agent: false }, (res) => {
        res.once('data', () => { req.destroy(); resolve(); });
      });
      req.on('error', () => {});
      req.end();
    });
    await waitFor(() => b.open() === 0);
    await waitFor(() => r.logs.at(-1)?.message.startsWith('at=error code=H27') ?? false);
    expect(r.router.pool.idleCount(b.port)).toBe(0);
  });
});
