import http from 'node:http';
import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { formatRouterLine } from '../../../src/router/log.js';
import { escapeHtml, prefersJson } from '../../../src/router/errors.js';
import { isLoopback } from '../../../src/router/host.js';
import { app, autoClose, deadPort, request, setApps, waitFor, type Backend, type TestRouter } from './helpers.js';

const { backend, router } = autoClose();
const lastLog = (r: TestRouter): string => r.logs.at(-1)?.message ?? '';

describe('Router: answers for routes that cannot be served', () => {
  it.each([
    ['H80', { maintenance: true }, 'Maintenance mode'],
    ['H81', { hasRelease: false }, 'Blank app'],
    ['H10', { states: ['crashed', 'crashed'] }, 'App crashed'],
    ['H14', { states: ['starting', 'crashed'] }, 'No web processes running'],
  ] as const)('%s', async (code, extra, desc) => {
    const r = await router();
    setApps(r, [app('shop', [1, 2], extra as never)]);
    const res = await request(r.port, 'shop.localhost');
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain(code);
    expect(res.body).toContain(desc);
    expect(lastLog(r)).toMatch(new RegExp(`^at=error code=${code} desc="${desc}" method=GET path="/" host=shop.localhost request_id=\\S+ fwd="127.0.0.1" dyno= connect= service= status=503 bytes= protocol=http$`));
  });

  it('answers JSON when the client prefers it', async () => {
    const r = await router();
    setApps(r, [app('shop', [])]);
    const res = await request(r.port, 'shop.localhost', { headers: { accept: 'application/json' } });
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'H14', message: expect.stringContaining('minik scale web=1') } });
  });

  it('answers 404 for an unknown localhost name from this machine, listing known apps with escaped URLs', async () => {
    const r = await router();
    setApps(r, [app('shop', [1]), app('blog', [2])]);
    const res = await request(r.port, "nope'&.localhost");
    expect(res.status).toBe(404);
    expect(res.body).toContain(`http://blog.localhost:${r.port}`);
    expect(res.body).toContain(`http://shop.localhost:${r.port}`);
    expect(res.body).toContain('nope&#39;&#38;.localhost');
    expect(r.logs.at(-1)!.app).toBeNull();
    expect(lastLog(r)).toContain('status=404');
    const json = await request(r.port, 'nope.localhost', { headers: { accept: 'application/json' } });
    expect(JSON.parse(json.body).error).toMatchObject({ code: 'no_such_app', apps: [{ name: 'blog' }, { name: 'shop' }] });
  });

  it('does not list the apps for a host that is not a localhost name (a DNS-rebinding page)', async () => {
    const r = await router();
    setApps(r, [app('shop', [1]), app('blog', [2])]);
    const res = await request(r.port, 'rebind.evil.example');
    expect(res.status).toBe(404);
    expect(res.body).toContain('No app answers on rebind.evil.example.');
    expect(res.body).not.toMatch(/shop|blog/);
    const json = await request(r.port, 'rebind.evil.example:7080', { headers: { accept: 'application/json' } });
    expect(JSON.parse(json.body)).toEqual({ error: { code: 'no_such_app', message: 'No app answers on rebind.evil.example:7080.' } });
    expect((await request(r.port, 'localhost')).body).toContain('shop.localhost'); // the bare name counts as local
  });

  it.skipIf(!externalIpv4())('does not list the apps to a peer that is not loopback', async () => {
    const ip = externalIpv4()!;
    const r = await router({ host: ip });
    setApps(r, [app('shop', [1])]);
    const res = await request(r.port, 'nope.localhost', { address: ip });
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('shop');
  });

  it('isLoopback knows IPv4, IPv6 and IPv4-mapped loopback addresses', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(isLoopback(a), a).toBe(true);
    for (const a of [undefined, '10.0.0.1', '::ffff:10.0.0.1', '::2', '1127.0.0.1']) expect(isLoopback(a), a).toBe(false);
  });
});

/** A non-internal IPv4 address of this machine, if it has one. */
function externalIpv4(): string | undefined {
  return Object.values(networkInterfaces()).flat().find((i) => i && !i.internal && i.family === 'IPv4')?.address;
}

describe('Router: dyno failures', () => {
  it('H12 when the dyno sends nothing within requestTimeoutMs', async () => {
    const b = await backend(() => {});
    const r = await router({ requestTimeoutMs: 200 });
    setApps(r, [app('shop', [b.port])]);
    const res = await request(r.port, 'shop.localhost');
    expect(res.status).toBe(503);
    expect(res.body).toContain('H12');
    expect(lastLog(r)).toMatch(/^at=error code=H12 desc="Request timeout" .* dyno=web\.1 connect=\d+ms service=\d+ms status=503 bytes=0 protocol=http$/);
    await waitFor(() => b.open() === 0);
  });

  it('H13 when the dyno closes the connection without answering', async () => {
    const b = await backend((req) => req.socket.destroy());
    const r = await router();
    setApps(r, [app('shop', [b.port])]);
    const res = await request(r.port, 'shop.localhost');
    expect(res.status).toBe(503);
    expect(lastLog(r)).toMatch(/^at=error code=H13 /);
  });

  it('never sends a GET on to another dyno once one died holding it (H13), and quarantines the dying one', async () => {
    let resets = 0;
    const dying = await backend((req) => { resets++; req.socket.destroy(); });
    const healthy = await backend((_req, res) => res.end('ok'));
    const r = await router();
    setApps(r, [app('shop', [dying.port, healthy.port])]); // a fresh balancer starts with the first dyno
    const first = await request(r.port, 'shop.localhost');
    expect(first.status).toBe(503);
    expect(lastLog(r)).toMatch(/^at=error code=H13 .* dyno=web\.1 /);
    const answers = await Promise.all(Array.from({ length: 5 }, () => request(r.port, 'shop.localhost')));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]); // quarantined after its reset
    expect(resets).toBe(1);
  });

  it('never retries a POST whose body was streamed to a dyno that died', async () => {
    let resets = 0;
    let healthyHits = 0;
    const dying = await backend((req) => { resets++; req.socket.destroy(); });
    const healthy = await backend((_req, res) => { healthyHits++; res.end('ok'); });
    const r = await router();
    setApps(r, [app('shop', [dying.port, healthy.port])]); // a fresh balancer starts with the first dyno
    const big = Buffer.alloc(128 * 1024, 'x'); // over the 64 KiB replay buffer: streamed, so it cannot be resent
    const post = await request(r.port, 'shop.localhost', { method: 'POST', body: big }).catch(() => null);
    expect(post?.status ?? 503).toBe(503);
    expect([resets, healthyHits]).toEqual([1, 0]);
    expect(lastLog(r)).toMatch(/^at=error code=H13 desc="[^"]+" method=POST/);
  });

  it('H18 when the dyno closes mid-response: the client connection is cut', async () => {
    const b = await backend((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
      setTimeout(() => res.socket?.destroy(), 50);
    });
    const r = await router();
    setApps(r, [app('shop', [b.port])]);
    await expect(request(r.port, 'shop.localhost')).rejects.toThrow();
    await waitFor(() => lastLog(r).startsWith('at=error code=H18'));
    expect(lastLog(r)).toContain('bytes=7');
  });

  it('H15 when the dyno goes idle mid-response', async () => {
    const b = await backend((_req, res) => { res.writeHead(200); res.write('x'); });
    const r = await router({ idleTimeoutMs: 200 });
    setApps(r, [app('shop', [b.port])]);
    await expect(request(r.port, 'shop.localhost')).rejects.toThrow();
    await waitFor(() => lastLog(r).startsWith('at=error code=H15'));
    await waitFor(() => b.open() === 0);
  });

  it('H21 when the only dyno refuses connections', async () => {
    const r = await router();
    setApps(r, [app('shop', [await deadPort()])]);
    const res = await request(r.port, 'shop.localhost', { headers: { accept: 'application/json' } });
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body).error.code).toBe('H21');
    expect(lastLog(r)).toMatch(/^at=error code=H21 desc="Backend connection refused" .* dyno=web\.1 connect= service=\d+ms status=503 bytes=0 /);
  });

  it('retries on the healthy dyno when one of two refuses: no failed request out of 50', async () => {
    const b = await backend((req, res) => { req.resume(); req.on('end', () => res.end('ok')); });
    const r = await router();
    setApps(r, [app('shop', [await deadPort(), b.port])]);
    const agent = new http.Agent({ keepAlive: true });
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) {
      const res = await request(r.port, 'shop.localhost', i % 2 ? { agent } : { method: 'POST', body: 'hi', agent });
      statuses.push(res.status);
    }
    agent.destroy();
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(r.logs.every((l) => l.message.startsWith('at=info') && l.message.includes('dyno=web.2'))).toBe(true);
  });

  it('retries on the dynos of the current table when a deploy replaced the refusing ones mid-request', async () => {
    const fresh = await backend((_req, res) => res.end('new release'));
    const r = await router();
    setApps(r, [app('shop', [await deadPort()])]);
    const pick = r.router.balancer.pick.bind(r.router.balancer);
    let picks = 0;
    r.router.balancer.pick = (...args) => {
      const up = pick(...args);
      if (picks++ === 0) setApps(r, [app('shop', [fresh.port])]); // the deploy swaps the table while the old dyno refuses
      return up;
    };
    const res = await request(r.port, 'shop.localhost');
    expect(res.status).toBe(200);
    expect(res.body).toBe('new release');
    expect(lastLog(r)).toMatch(/^at=info .* dyno=web\.1 .* status=200 /);
  });

  it('H13, not a retry, when the dyno a request was written to goes away during a deploy', async () => {
    const fresh = await backend((_req, res) => res.end('new release'));
    let r!: TestRouter;
    const old = await backend((req) => {
      setApps(r, [app('shop', [fresh.port])]); // the deploy swaps the route table …
      req.socket.destroy(); // … and the old dyno goes away without answering
    });
    r = await router();
    setApps(r, [app('shop', [old.port])]);
    expect((await request(r.port, 'shop.localhost')).status).toBe(503);
    expect(lastLog(r)).toMatch(/^at=error code=H13 /);
    expect((await request(r.port, 'shop.localhost')).body).toBe('new release');
  });

  it('H27 and no upstream socket left when the client aborts mid-stream', async () => {
    const b = await backend((req, res) => {
      if (req.url !== '/stream') return void res.end('ok');
      res.writeHead(200);
      const t = setInterval(() => res.write('tick\n'), 10);
      res.on('close', () => clearInterval(t));
    });
    const r = await router();
    setApps(r, [app('shop', [b.port])]);
    await new Promise<void>((resolve, reject) => {
      const req = http.request({ port: r.port, host: '127.0.0.1', path: '/stream', headers: { host: 'shop.localhost' }, agent: false }, (res) => {
        res.once('data', () => { req.destroy(); resolve(); });
      });
      req.on('error', () => {});
      req.on('close', () => resolve());
      setTimeout(() => reject(new Error('no data')), 2000);
      req.end();
    });
    await waitFor(() => b.open() === 0);
    await waitFor(() => lastLog(r).startsWith('at=error code=H27'));
    expect(lastLog(r)).toContain('status=499');
    expect((await request(r.port, 'shop.localhost')).body).toBe('ok');
  });
});

describe('helpers', () => {
  it('prefersJson follows q-values and specificity', () => {
    expect(prefersJson(undefined)).toBe(false);
    expect(prefersJson('*/*')).toBe(false);
    expect(prefersJson('application/json')).toBe(true);
    expect(prefersJson('application/json, text/plain, */*')).toBe(true);
    expect(prefersJson('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8')).toBe(false);
    expect(prefersJson('text/html;q=0.5, application/json')).toBe(true);
    expect(prefersJson('application/json;q=0, */*')).toBe(false);
  });

  it('escapeHtml escapes markup and quotes', () => {
    expect(escapeHtml(`<a href="x">'&`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;');
  });

  it('formatRouterLine escapes quotes in the path', () => {
    const line = formatRouterLine({ code: null, method: 'GET', path: '/"x', host: 'a.localhost', requestId: 'id', fwd: '1.2.3.4',
      dyno: 'web.1', connectMs: 0, serviceMs: 3, status: 200, bytes: 13, protocol: 'http' });
    expect(line).toBe('at=info method=GET path="/\\"x" host=a.localhost request_id=id fwd="1.2.3.4" dyno=web.1 connect=0ms service=3ms status=200 bytes=13 protocol=http');
  });
});

