import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { request, stream, streamLines, type StreamEvent } from '../../../src/cli/client.js';
import { writeOrWait } from '../../../src/cli/log-stream.js';
import { lastLine } from '../../../src/cli/autostart.js';
import { NdjsonParser } from '../../../src/cli/ndjson.js';
import { MinikError } from '../../../src/core/errors.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
let home = '';
let server: Server;
let handler: Handler = (_req, res) => res.end();
const env = () => ({ MINIK_HOME: home });

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'minik-client-'));
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => handler(req, res, body));
  });
  await new Promise<void>((r) => server.listen(join(home, 'minikd.sock'), r));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(home, { recursive: true, force: true });
});

async function rejection(p: Promise<unknown>): Promise<MinikError> {
  const err = await p.then(() => { throw new Error('expected a rejection'); }, (e: unknown) => e);
  expect(err).toBeInstanceOf(MinikError);
  return err as MinikError;
}

/** Writes `text` one byte at a time, so lines and UTF-8 characters arrive split. */
async function dribble(res: ServerResponse, text: string): Promise<void> {
  for (const byte of Buffer.from(text, 'utf8')) {
    res.write(Buffer.from([byte]));
    await new Promise((r) => setImmediate(r));
  }
}

const ndjson = (res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/x-ndjson' });

describe('request', () => {
  it('sends JSON and parses the answer', async () => {
    let seen = { method: '', url: '', body: '', type: '' };
    handler = (req, res, body) => {
      seen = { method: req.method!, url: req.url!, body, type: req.headers['content-type'] ?? '' };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ web: 3 }));
    };
    const answer = await request('PATCH', '/apps/a/formation', { web: 3 }, { env: env() });
    expect(answer).toEqual({ web: 3 });
    expect(seen).toEqual({ method: 'PATCH', url: '/apps/a/formation', body: '{"web":3}', type: 'application/json' });
  });

  it("turns the API's error shape into a MinikError", async () => {
    handler = (_req, res) => res.writeHead(404).end(JSON.stringify({ error: { message: "app 'x' not found", hint: "see 'minik apps'", code: 'not_found' } }));
    const err = await rejection(request('GET', '/apps/x', undefined, { env: env() }));
    expect([err.message, err.hint, err.code, err.exitCode]).toEqual(["app 'x' not found", "see 'minik apps'", 'not_found', 1]);
  });

  it('reports an answer that is not the error shape with the status and the log', async () => {
    handler = (_req, res) => res.writeHead(500).end('Internal Server Error');
    const err = await rejection(request('GET', '/apps', undefined, { env: env() }));
    expect(err.message).toBe('the daemon answered GET /apps with HTTP 500');
    expect(err.hint).toBe(`see ${join(home, 'daemon.log')}`);
  });

  it('does not start a daemon when told not to', async () => {
    const err = await rejection(request('GET', '/daemon', undefined, { env: { MINIK_HOME: join(home, 'nowhere') }, autoStart: false }));
    expect([err.message, err.code]).toEqual(['the minik daemon is not running', 'daemon_down']);
  });
});

describe('stream', () => {
  it('delivers log events from split chunks and resolves with the done event', async () => {
    handler = async (_req, res) => {
      ndjson(res);
      await dribble(res, '{"event":"log","line":"-----> Node.js app detected"}\n{"event":"log","line":"       café ✓ 日本"}\n');
      await dribble(res, '{"event":"done","release":3,"url":"http://a.localhost:7080"}\n');
      res.end();
    };
    const events: StreamEvent[] = [];
    const done = await stream('POST', '/apps/a/deploys', { sourceDir: '/x' }, (e) => events.push(e), { env: env() });
    expect(done).toEqual({ release: 3, url: 'http://a.localhost:7080' });
    expect(events.filter((e) => e.event === 'log').map((e) => (e as { line: string }).line))
      .toEqual(['-----> Node.js app detected', '       café ✓ 日本']);
  });

  it('throws the error event as a MinikError after delivering the logs before it', async () => {
    handler = (_req, res) => {
      ndjson(res);
      res.end('{"event":"log","line":"npm ERR! missing script"}\n{"event":"error","error":{"message":"build failed: npm ci exited with 1","hint":"fix the build","code":"build_failed"}}\n');
    };
    const lines: string[] = [];
    const err = await rejection(stream('POST', '/apps/a/deploys', {}, (e) => e.event === 'log' && lines.push(e.line), { env: env() }));
    expect([err.message, err.hint, err.code]).toEqual(['build failed: npm ci exited with 1', 'fix the build', 'build_failed']);
    expect(lines).toEqual(['npm ERR! missing script']);
  });

  it('reports a connection dropped mid-deploy', async () => {
    handler = (_req, res) => {
      ndjson(res);
      res.write('{"event":"log","line":"-----> Building"}\n{"event":"log","li');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const lines: string[] = [];
    const err = await rejection(stream('POST', '/apps/a/deploys', {}, (e) => e.event === 'log' && lines.push(e.line), { env: env() }));
    expect(err.message).toBe('the daemon closed the connection before the deploy finished');
    expect(err.hint).toBe(`see ${join(home, 'daemon.log')}`);
    expect(lines).toEqual(['-----> Building']);
  });

  it('reports a stream that ends without a done event', async () => {
    handler = (_req, res) => { ndjson(res); res.end('{"event":"log","line":"x"}\n'); };
    const err = await rejection(stream('PATCH', '/apps/a/config', {}, () => {}, { env: env(), what: 'config change' }));
    expect(err.message).toBe('the daemon closed the connection before the config change finished');
  });

  it('throws the JSON error of a refused stream', async () => {
    handler = (_req, res) => res.writeHead(409).end(JSON.stringify({ error: { message: 'a deploy of a is already running', code: 'conflict' } }));
    const err = await rejection(stream('POST', '/apps/a/deploys', {}, () => {}, { env: env() }));
    expect([err.message, err.code, err.hint]).toEqual(['a deploy of a is already running', 'conflict', undefined]);
  });
});

describe('streamLines (logs)', () => {
  it("resolves 'end' when the daemon ends the stream", async () => {
    handler = (req, res) => {
      ndjson(res);
      res.end(`{"time":"t1","source":"app","process":"web.1","message":"${req.url}"}\n{"time":"t2","source":"minik","process":"router","message":"b"}`);
    };
    const got: unknown[] = [];
    expect(await streamLines('GET', '/apps/a/logs?n=2', undefined, (v) => got.push(v), { env: env() })).toBe('end');
    expect(got).toEqual([
      { time: 't1', source: 'app', process: 'web.1', message: '/apps/a/logs?n=2' },
      { time: 't2', source: 'minik', process: 'router', message: 'b' },
    ]);
  });

  it("resolves 'aborted' when the caller cancels a tail", async () => {
    handler = (_req, res) => { ndjson(res); res.write('{"message":"first"}\n'); };
    const ac = new AbortController();
    const got: unknown[] = [];
    const how = streamLines('GET', '/apps/a/logs?tail=1', undefined, (v) => { got.push(v); ac.abort(); }, { env: env(), signal: ac.signal });
    expect(await how).toBe('aborted');
    expect(got).toEqual([{ message: 'first' }]);
  });
});

describe('streamLines backpressure (issue 18: `minik logs -t | sleep 1000`)', () => {
  it('pauses the response while the handler waits for its output, so the daemon sees a full socket', async () => {
    const total = 50_000; // 10 MB of lines
    let sent = 0;
    handler = (_req, res) => {
      ndjson(res);
      // Like the daemon's follower: write until the socket pushes back, go on at 'drain'.
      const pump = () => {
        while (sent < total) if (!res.write(`{"n":${sent++},"pad":"${'x'.repeat(200)}"}\n`)) return void res.once('drain', pump);
        res.end();
      };
      pump();
    };
    const got: number[] = [];
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const done = streamLines('GET', '/apps/a/logs?tail=1', undefined, (v) => {
      got.push((v as { n: number }).n);
      return got.length === 1 ? gate : undefined; // the output is full after the first line
    }, { env: env() });
    // Wait until the daemon side stops making progress: its socket is full because the client stopped reading.
    for (let last = -1, end = Date.now() + 10_000; sent !== last && Date.now() < end;) {
      last = sent;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(total / 5); // a client that read on regardless takes all 10 MB
    release();
    expect(await done).toBe('end');
    expect(got).toEqual(Array.from({ length: total }, (_, i) => i));
  });

  it('writeOrWait answers a promise only when the output is full, settled by drain or close', async () => {
    const out = new PassThrough({ highWaterMark: 10 });
    expect(writeOrWait(out, 'short')).toBeUndefined();
    const wait = writeOrWait(out, 'longer than ten bytes');
    expect(wait).toBeInstanceOf(Promise);
    let settled = false;
    void wait!.then(() => (settled = true));
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    out.read();
    await wait;
    const closed = writeOrWait(out, 'longer than ten bytes again')!;
    out.destroy();
    await closed;
  });
});

describe('a chunk of many lines into a full output (review: MaxListenersExceededWarning on `minik logs -t | less`)', () => {
  const record = (i: number) => ({ time: 't', source: 'app', process: 'web.1', message: `line ${i} ${'x'.repeat(150)}` });

  it('stops handing lines over while the output is full: one drain listener, the rest wait in the socket, none lost', async () => {
    const total = 600; // ~100 KB in one write: the client reads it in chunks of hundreds of lines
    handler = (_req, res) => { ndjson(res); res.end(Array.from({ length: total }, (_, i) => JSON.stringify(record(i))).join('\n') + '\n'); };
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    const out = new PassThrough({ highWaterMark: 1024 });
    let most = 0;
    try {
      const done = streamLines('GET', '/apps/a/logs?tail=1', undefined, (v) => {
        const wait = writeOrWait(out, `${(v as { message: string }).message}\n`);
        most = Math.max(most, out.listenerCount('drain'));
        return wait;
      }, { env: env() });
      await new Promise((r) => setTimeout(r, 300));
      // Nobody reads `out`: one line went past its 1 KB mark, the rest wait in the socket, not in `out`.
      expect(out.listenerCount('drain')).toBe(1);
      expect(out.writableLength).toBeLessThan(1024 + 200);
      let text = '';
      out.on('data', (c: Buffer) => (text += c.toString()));
      expect(await done).toBe('end');
      await new Promise((r) => setImmediate(r));
      expect(text.split('\n').slice(0, -1)).toEqual(Array.from({ length: total }, (_, i) => record(i).message));
      expect(most).toBe(1);
      expect(out.listenerCount('drain') + out.listenerCount('close')).toBe(0);
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('writeOrWait answers one shared promise per output while it is full, and a new one after it drained', async () => {
    const out = new PassThrough({ highWaterMark: 10 });
    const first = writeOrWait(out, 'longer than ten bytes');
    const calls = Array.from({ length: 20 }, (_, i) => writeOrWait(out, `line ${i}\n`));
    expect(first).toBeInstanceOf(Promise);
    for (const c of calls) expect(c).toBe(first);
    expect([out.listenerCount('drain'), out.listenerCount('close')]).toEqual([1, 1]);
    out.resume();
    await first;
    expect([out.listenerCount('drain'), out.listenerCount('close')]).toEqual([0, 0]);
    out.pause();
    const next = writeOrWait(out, 'x'.repeat(100));
    expect(next).toBeInstanceOf(Promise);
    expect(next).not.toBe(first);
    out.destroy();
    await next;
    expect(writeOrWait(out, 'after close')).toBeUndefined(); // a closed output never drains: nothing to wait for
  });

  it("keeps the lines after a wait when the daemon ends the stream meanwhile, and resolves 'end', not 'dropped'", async () => {
    handler = (_req, res) => { ndjson(res); res.end('{"n":1}\n{"n":2}\n{"n":3}\n'); };
    const got: number[] = [];
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const done = streamLines('GET', '/apps/a/logs', undefined, (v) => {
      got.push((v as { n: number }).n);
      return got.length === 1 ? gate : undefined;
    }, { env: env() });
    await new Promise((r) => setTimeout(r, 200)); // the response ended and closed meanwhile
    expect(got).toEqual([1]);
    release();
    expect(await done).toBe('end');
    expect(got).toEqual([1, 2, 3]);
  });

  it("resolves 'aborted' when cancelled while waiting for the output after the daemon ended the stream", async () => {
    handler = (_req, res) => { ndjson(res); res.end('{"n":1}\n{"n":2}\n'); };
    const ac = new AbortController();
    const got: unknown[] = [];
    const done = streamLines('GET', '/apps/a/logs', undefined, (v) => { got.push(v); return new Promise<void>(() => {}); }, { env: env(), signal: ac.signal });
    await new Promise((r) => setTimeout(r, 200));
    ac.abort();
    expect(await done).toBe('aborted');
    expect(got).toEqual([{ n: 1 }]);
  });
});

describe('NdjsonParser', () => {
  it('reassembles lines and characters split across chunks', () => {
    const p = new NdjsonParser();
    const bytes = Buffer.from('{"a":"é"}\n\n{"b":2}\n{"c":', 'utf8');
    const out = [...p.push(bytes.subarray(0, 7)), ...p.push(bytes.subarray(7))];
    expect(out).toEqual([{ a: 'é' }, { b: 2 }]);
    expect(p.push('3}')).toEqual([]);
    expect(p.end()).toEqual([{ c: 3 }]);
  });

  it('names a line that is not JSON', () => {
    expect(() => new NdjsonParser().push('oops\n')).toThrow('the daemon sent a line that is not JSON: oops');
  });
});

describe("the daemon's start-up reason", () => {
  it('is the last line the daemon wrote since the start, without a minik: prefix', () => {
    const log = join(home, 'daemon.log');
    writeFileSync(log, 'old line\nminikd: port 7080 is in use (MINIK_PORT)\n\n');
    expect(lastLine(log)).toBe('port 7080 is in use (MINIK_PORT)');
    expect(lastLine(log, 9)).toBe('port 7080 is in use (MINIK_PORT)');
    expect(lastLine(log, 1000)).toBe(null);
  });

  it("is the exception's line when Node printed a crash", () => {
    const log = join(home, 'crash.log');
    writeFileSync(log, "file:///x.js:3\nthrow e\n^\n\nError [ERR_MODULE_NOT_FOUND]: Cannot find module '/r.js'\n    at f (x.js:1:1) {\n  code: 'ERR_MODULE_NOT_FOUND'\n}\n\nNode.js v20.20.2\n");
    expect(lastLine(log)).toBe("Error [ERR_MODULE_NOT_FOUND]: Cannot find module '/r.js'");
  });
});
