import { afterEach } from 'vitest';
// Test helpers: tiny real backends on ephemeral ports, a Router on port 0, and a raw HTTP client that
// sends a Host header to 127.0.0.1 (glibc here does not resolve *.localhost).
import http, { type IncomingHttpHeaders, type RequestListener } from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';
import { Router, type RouterOptions } from '../../../src/router/proxy.js';
import { buildRouteTable, type RouteApp } from '../../../src/router/table.js';
import type { DynoState } from '../../../src/core/types.js';

export interface Backend {
  port: number;
  server: http.Server;
  /** Connections currently open to this backend. */
  open(): number;
  /** Connections ever accepted. */
  accepted(): number;
  close(): Promise<void>;
}

/** A node:http server on 127.0.0.1:0 that counts its connections. */
export async function startBackend(handler: RequestListener): Promise<Backend> {
  const server = http.createServer(handler);
  const sockets = new Set<Socket>();
  let accepted = 0;
  server.on('connection', (s: Socket) => {
    accepted++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    server,
    open: () => sockets.size,
    accepted: () => accepted,
    close: () => new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    }),
  };
}

/** A port nothing listens on (bound once, then released). */
export async function deadPort(): Promise<number> {
  const b = await startBackend(() => {});
  await b.close();
  return b.port;
}

export interface TestRouter {
  router: Router;
  port: number;
  logs: { app: string | null; message: string }[];
  close(): Promise<void>;
}

export async function startRouter(opts: Partial<RouterOptions> = {}): Promise<TestRouter> {
  const logs: { app: string | null; message: string }[] = [];
  const router = new Router({ port: 0, onLog: (app, message) => logs.push({ app, message }), ...opts });
  await router.listen();
  return { router, port: router.port, logs, close: () => router.close() };
}

/** A RouteApp whose web dynos are `ports` (all up unless states are given). */
export function app(name: string, ports: number[], extra: Partial<RouteApp> & { states?: DynoState[] } = {}): RouteApp {
  const { states, ...rest } = extra;
  return {
    name, hosts: [], maintenance: false, hasRelease: true,
    web: ports.map((port, i) => ({ dyno: `web.${i + 1}`, port, state: states?.[i] ?? 'up' })),
    ...rest,
  };
}

export function setApps(t: TestRouter, apps: RouteApp[]): void {
  t.router.setTable(buildRouteTable(apps));
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request through the router with a fresh connection (agent: false), fully read. */
export function request(port: number, host: string, opts: {
  path?: string; method?: string; headers?: Record<string, string>; body?: string | Buffer; agent?: http.Agent; address?: string;
} = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: opts.address ?? '127.0.0.1', port, path: opts.path ?? '/', method: opts.method ?? 'GET',
      headers: { host, ...opts.headers }, agent: opts.agent ?? false,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Polls `cond` until true or `ms` passes. */
export async function waitFor(cond: () => boolean, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('timed out waiting for condition');
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Why: every router test file starts backends and routers that must be closed after each test, newest first. */
export function autoClose() {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });
  const backend = async (handler: http.RequestListener = (_q, s) => s.end('plain')): Promise<Backend> => {
    const b = await startBackend(handler);
    cleanups.push(b.close);
    return b;
  };
  const router = async (opts: Partial<RouterOptions> = {}): Promise<TestRouter> => {
    const r = await startRouter(opts);
    cleanups.push(r.close);
    return r;
  };
  return { cleanups, backend, router };
}

/** Why: streams a POST body in several writes (so node sends it chunked) and resolves with the answer's body. */
export function postChunks(port: number, host: string, chunks: Buffer[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request({ port, host: '127.0.0.1', method: 'POST', headers: { host }, agent: false }, (res) => {
      let d = '';
      res.on('data', (c) => { d += c; });
      res.on('end', () => resolve(d));
    });
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

/** Writes raw bytes and reads until the server closes or `ms` passes. */
export function rawExchange(port: number, data: string, ms = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let out = '';
    const timer = setTimeout(() => { s.destroy(); resolve(out); }, ms);
    s.on('data', (c) => { out += c.toString(); });
    s.on('close', () => { clearTimeout(timer); resolve(out); });
    s.on('error', reject);
    s.write(data);
  });
}
