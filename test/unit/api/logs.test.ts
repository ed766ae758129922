// Issue 8 item 18 and issue 18 defect 2 through the real route and a Unix socket: a `minik logs -t` reader that
// stops reading leaves a bounded backlog in the daemon, and when it reads again gets an L10 line counting the
// oldest lines it missed, then the newest ones.
import fs from 'node:fs';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { logRoutes } from '../../../src/api/logs.js';
import type { LogLine } from '../../../src/core/types.js';
import type { Platform } from '../../../src/deploy/platform.js';
import { LogHub } from '../../../src/supervisor/logs.js';
import { LOG_QUEUE_LIMITS } from '../../../src/supervisor/log-queue.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

const tick = () => new Promise((r) => setImmediate(r));

describe('GET /apps/:app/logs?tail=1', () => {
  it('keeps a paused reader\'s backlog bounded and reports the dropped lines with L10', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minik-api-logs-'));
    const hub = new LogHub(path.join(dir, 'logs'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }), () => hub.close());
    const platform = { ctx: { store: { requireApp: (name: string) => ({ name }) }, logs: hub } } as unknown as Platform;
    const [[, pattern, handler]] = logRoutes(platform) as [[string, RegExp, (c: unknown) => void]];
    let served: ServerResponse | null = null;
    const server = createServer((req, res) => {
      served = res;
      const url = new URL(req.url!, 'http://minikd');
      handler({ req, res, params: pattern.exec(url.pathname)!.slice(1), query: url.searchParams });
    });
    const socket = path.join(dir, 'minikd.sock');
    await new Promise<void>((r) => server.listen(socket, r));
    cleanups.push(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));

    const res = await new Promise<IncomingMessage>((resolve) => request({ socketPath: socket, path: '/apps/demo/logs?n=0&tail=1' }, resolve).end());
    res.pause(); // the reader stops: Ctrl-Z, or a `less` that is not scrolling

    // A chatty dyno: 20,000 lines of 500 bytes (10 MB), far beyond what the socket buffers hold.
    const written = 20_000;
    let most = 0;
    for (let i = 0; i < written; i++) {
      hub.write('demo', 'app', 'web.1', `line ${i} ${'x'.repeat(490)}`);
      if (i % 500 === 499) {
        await tick(); // let the socket flush what it can
        most = Math.max(most, served!.writableLength);
      }
    }
    // What the daemon holds for this reader: Node's write buffer (one high-water mark and a line) + the follower's cap.
    expect(most).toBeLessThan(64 * 1024);
    expect(served!.writableLength).toBeLessThan(64 * 1024);

    const got: LogLine[] = [];
    let rest = '';
    res.on('data', (chunk: Buffer) => {
      const parts = (rest + chunk.toString('utf8')).split('\n');
      rest = parts.pop()!;
      for (const p of parts) got.push(JSON.parse(p) as LogLine);
    });
    res.resume();
    const start = Date.now();
    while (!got.some((l) => l.message.startsWith(`line ${written - 1} `)) && Date.now() - start < 20_000) await tick();
    const at = got.findIndex((l) => l.process === 'logplex');
    expect(got.filter((l) => l.process === 'logplex')).toHaveLength(1);
    const m = /^Error L10 \(output buffer overflow\): (\d+) messages dropped since (\S+)\.$/.exec(got[at]!.message)!;
    expect(m).not.toBeNull();
    const before = got.slice(0, at);
    const after = got.slice(at + 1);
    // Every line is accounted for: delivered, or counted as dropped; and most were dropped, not buffered.
    expect(before.length + Number(m[1]) + after.length).toBe(written);
    expect(after.length).toBeLessThanOrEqual(LOG_QUEUE_LIMITS.maxLines);
    expect(after.length).toBeGreaterThan(100);
    // Before the gap: the first lines, in order (what the socket took); after it, the newest ones, in order, to the last.
    const n = (l: LogLine) => Number(l.message.split(' ')[1]);
    expect(before.map(n)).toEqual(before.map((_l, i) => i));
    expect(after.map(n)).toEqual(after.map((_l, i) => written - after.length + i));
  });
});
