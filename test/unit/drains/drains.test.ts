import http from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createShipper, DrainManager, LineBuffer, logplexFrame, octetFrame, validateDrainUrl } from '../../../src/drains/index.js';
import { LogHub } from '../../../src/supervisor/index.js';
import type { LogLine } from '../../../src/core/types.js';
import { tempStore, type TempStore } from '../store/helpers.js';

const line = (message: string, source: 'app' | 'minik' = 'app', process = 'web.1'): LogLine => ({ time: '2026-11-23T08:00:00.677020+00:00', source, process, message });

/** Splits an octet-counted body into frames, checking every length prefix. */
function parseFrames(body: string): string[] {
  const buf = Buffer.from(body);
  const out: string[] = [];
  let i = 0;
  while (i < buf.length) {
    const sp = buf.indexOf(0x20, i);
    const len = Number(buf.subarray(i, sp).toString());
    expect(Number.isInteger(len)).toBe(true);
    out.push(buf.subarray(sp + 1, sp + 1 + len).toString());
    i = sp + 1 + len;
  }
  return out;
}

interface Post { headers: http.IncomingHttpHeaders; body: string }
async function httpSink(answer: (n: number) => number | 'hang' = () => 200): Promise<{ url: string; posts: Post[]; close(): void }> {
  const posts: Post[] = [];
  const server = http.createServer(async (req, res) => {
    let body = '';
    for await (const c of req) body += c;
    posts.push({ headers: req.headers, body });
    const a = answer(posts.length);
    if (a !== 'hang') res.writeHead(a).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/logs`, posts, close: () => { server.closeAllConnections(); server.close(); } };
}

async function until(cond: () => boolean, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('frames', () => {
  it('are octet-counted syslog lines whose length includes the newline (logplex)', () => {
    const f = logplexFrame(line('héllo'));
    const body = '<190>1 2026-11-23T08:00:00.677020+00:00 host app web.1 - héllo\n';
    expect(f).toBe(`${Buffer.byteLength(body)} ${body}`);
    expect(logplexFrame(line('at=info method=GET', 'minik', 'router'))).toContain('<158>1 2026-11-23T08:00:00.677020+00:00 host heroku router - at=info');
    expect(octetFrame(line('x'))).toBe('58 <190>1 2026-11-23T08:00:00.677020+00:00 host app web.1 - x');
  });

  it('validates drain URLs with a sentence naming the value', () => {
    expect(validateDrainUrl('https://logs.example.com/x')).toBe('https://logs.example.com/x');
    expect(() => validateDrainUrl('ftp://x')).toThrow("drain URL 'ftp://x' must start with http://, https:// or syslog:// and name a host");
    expect(() => validateDrainUrl('syslog://logs.example.com')).toThrow(/needs a port/);
    expect(() => validateDrainUrl('not a url')).toThrow(/is not a URL/);
  });
});

describe('LineBuffer', () => {
  it('keeps its newest lines up to its limit, and reports the oldest it dropped with an L10 line first', () => {
    const b = new LineBuffer(3);
    for (let i = 0; i < 5; i++) b.push(line(`m${i}`));
    const taken = b.take(() => true);
    expect(taken.map((l) => l.message)).toEqual(['Error L10 (output buffer overflow): 2 messages dropped since 2026-11-23T08:00:00.677020+00:00.', 'm2', 'm3', 'm4']);
    expect(taken[0]!.process).toBe('logplex');
    expect(b.take(() => true)).toEqual([]);
  });

  it('leaves the line that does not fit for the next batch', () => {
    const b = new LineBuffer();
    for (let i = 0; i < 5; i++) b.push(line(`m${i}`));
    expect(b.take((_l, taken) => taken < 2).map((l) => l.message)).toEqual(['m0', 'm1']);
    expect(b.take(() => false).map((l) => l.message)).toEqual(['m2']); // at least one
    expect(b.take(() => true).map((l) => l.message)).toEqual(['m3', 'm4']);
  });
});

describe('HTTP drains', () => {
  it('POST logplex batches with the headers Heroku sends', async () => {
    const sink = await httpSink();
    const s = createShipper({ app: 'shop', url: sink.url, token: 'd.abc', createdAt: '' }, { batchMs: 100 });
    try {
      s.push(line('one'));
      s.push(line('two'));
      await until(() => sink.posts.length >= 1);
      const p = sink.posts[0]!;
      expect(p.headers['content-type']).toBe('application/logplex-1');
      expect(p.headers['logplex-msg-count']).toBe('2');
      expect(p.headers['logplex-drain-token']).toBe('d.abc');
      expect(p.headers['logplex-frame-id']).toMatch(/^[0-9a-f]{32}$/);
      expect(parseFrames(p.body).map((f) => f.replace(/^.* - /, ''))).toEqual(['one\n', 'two\n']);
    } finally {
      s.close();
      sink.close();
    }
  });

  it('retries a failed batch up to 3 times with the same Frame-Id', async () => {
    const sink = await httpSink(() => 500);
    const s = createShipper({ app: 'shop', url: sink.url, token: 'd.t', createdAt: '' }, { batchMs: 50, backoffMs: 20 });
    try {
      s.push(line('x'));
      await until(() => sink.posts.length >= 3);
      await new Promise((r) => setTimeout(r, 200));
      expect(sink.posts).toHaveLength(3);
      expect(new Set(sink.posts.map((p) => p.headers['logplex-frame-id'])).size).toBe(1);
    } finally {
      s.close();
      sink.close();
    }
  });

  it('splits batches at the byte limit', async () => {
    const sink = await httpSink();
    const s = createShipper({ app: 'shop', url: sink.url, token: 'd.t', createdAt: '' }, { batchMs: 100, batchBytes: 2000 });
    try {
      for (let i = 0; i < 40; i++) s.push(line(`${i}`.padEnd(100, '.')));
      await until(() => sink.posts.reduce((n, p) => n + Number(p.headers['logplex-msg-count']), 0) >= 40);
      expect(sink.posts.length).toBeGreaterThan(1);
      for (const p of sink.posts) expect(Buffer.byteLength(p.body)).toBeLessThanOrEqual(2000);
    } finally {
      s.close();
      sink.close();
    }
  });
});

describe('DrainManager', () => {
  let t: TempStore;
  let logs: LogHub;
  let dir: string;
  beforeEach(() => {
    t = tempStore();
    t.store.createApp('shop', '/src/shop');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minik-drains-'));
    logs = new LogHub(dir);
  });
  afterEach(async () => {
    await logs.close();
    t.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('ships the app’s log lines; a hung drain overflows its own buffer (L10) without holding up writers', async () => {
    let hang = true;
    const sink = await httpSink((n) => (n === 1 && hang ? 'hang' : 200));
    const m = new DrainManager(t.store, logs, { batchMs: 50, timeoutMs: 1500, tries: 1 });
    m.start();
    try {
      const d = m.add('shop', sink.url);
      expect(d.token).toMatch(/^d\.[0-9a-f-]{36}$/);
      expect(m.list('shop').map((x) => x.url)).toEqual([sink.url]);
      expect(() => m.add('shop', sink.url)).toThrow(/already a drain of shop/);
      logs.write('shop', 'app', 'web.1', 'first');
      await until(() => sink.posts.length === 1);
      for (let i = 0; i < 1500; i++) logs.write('shop', 'app', 'web.1', `line ${i}`);
      hang = false;
      await until(() => sink.posts.some((p) => p.body.includes('line 1499')));
      const bodies = sink.posts.slice(1).map((p) => p.body).join('');
      // Logplex drops the oldest: the endpoint gets the L10 line, then the newest 1,024 lines.
      expect(bodies).toMatch(/host heroku logplex - Error L10 \(output buffer overflow\): 476 messages dropped since \S+\.\n\d+ <190>1 \S+ host app web\.1 - line 476\n/);
      expect(bodies).not.toContain('line 475\n');
      m.remove('shop', sink.url);
      expect(m.list('shop')).toEqual([]);
      expect(() => m.remove('shop', sink.url)).toThrow(/is not a drain of shop/);
    } finally {
      m.close();
      sink.close();
    }
  });

  it('ships to syslog:// over TCP with octet counting', async () => {
    let received = '';
    const server = createTcpServer((sock) => sock.on('data', (c) => (received += c)));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const m = new DrainManager(t.store, logs, { batchMs: 50 });
    m.start();
    try {
      m.add('shop', `syslog://127.0.0.1:${(server.address() as AddressInfo).port}`);
      logs.write('shop', 'app', 'web.1', 'hello tcp');
      logs.write('shop', 'minik', 'router', 'at=info path="/"');
      await until(() => parseFramesSafe(received).length >= 2);
      expect(parseFrames(received)).toEqual([
        expect.stringMatching(/^<190>1 \S+ host app web\.1 - hello tcp$/),
        expect.stringMatching(/^<158>1 \S+ host heroku router - at=info path="\/"$/),
      ]);
    } finally {
      m.close();
      server.close();
    }
  });
});

function parseFramesSafe(body: string): string[] {
  try {
    return body ? parseFrames(body) : [];
  } catch {
    return [];
  }
}
