// Issue 13: `minik metrics` from the router's numbers, log-runtime-metrics lines, and a drain receiving logplex.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixture, minik, until, type Minik } from './harness.js';

describe('metrics, labs and drains', () => {
  let m: Minik;
  let sink: http.Server;
  const posts: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];

  beforeAll(async () => {
    m = await minik({ MINIK_METRICS_SAMPLE_MS: '500' });
    const up = await m.run(['up', await copyFixture('node-hello', m.home)]);
    expect(up.exitCode, `${up.stdout}\n${up.stderr}`).toBe(0);
    sink = http.createServer(async (req, res) => {
      let body = '';
      for await (const c of req) body += c;
      posts.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    sink?.close();
    await m.stop();
  });

  it('counts requests by status class and error code, with percentiles, in a table and as JSON', async () => {
    for (let i = 0; i < 10; i++) await m.get('node-hello', '/');
    await m.get('node-hello', '/env/NOPE');
    await m.get('node-hello', '/slow?ms=300');
    await m.run(['maintenance:on', '-a', 'node-hello']);
    await m.get('node-hello', '/');
    await m.run(['maintenance:off', '-a', 'node-hello']);
    const json = await until(async () => {
      const r = JSON.parse(String((await m.run(['metrics', '--json', '-a', 'node-hello'])).stdout)) as { apps: Array<Record<string, unknown>>; summary: { requests: number } };
      return r.summary.requests >= 13 ? r : null;
    }, 'the metrics to be written', 20_000, 300);
    const rows = json.apps;
    const sum = (k: string) => rows.reduce((n, r) => n + (r[k] as number), 0);
    expect([sum('c2xx'), sum('c4xx'), sum('c5xx')]).toEqual([11, 1, 1]);
    expect(rows.some((r) => (r.errors as Record<string, number>).H80 === 1)).toBe(true);
    expect(Math.max(...rows.map((r) => r.max as number))).toBeGreaterThanOrEqual(300);
    const table = await m.run(['metrics', '-a', 'node-hello', '--since', '30m']);
    expect(String(table.stdout)).toMatch(/TIME \(UTC\)\s+REQUESTS\s+2XX\s+3XX\s+4XX\s+5XX\s+P50\s+P95\s+P99\s+MAX\s+ERRORS/);
    expect(String(table.stdout)).toMatch(/DYNO\s+PEAK RSS\s+MEAN CPU\s+RESTARTS\s+STATE CHANGES\n.*\nnode-hello web\.1\s+\d+ MB/);
    expect(String(table.stdout)).toMatch(/Last 30m: 13 requests, 1 5xx \(7\.7%\), p95 up to \d+ms, max \d+ms, errors H80×1/);
    const bad = await m.run(['metrics', '--since', '2 weeks']);
    expect(bad.exitCode).not.toBe(0);
    expect(String(bad.stderr)).toContain("--since '2 weeks' is not a duration up to 7 days");
  });

  it('logs Heroku-style runtime metrics per dyno once log-runtime-metrics is enabled', async () => {
    expect((await m.run(['labs:enable', 'log-runtime-metrics', '-a', 'node-hello'])).exitCode).toBe(0);
    const line = await until(async () => String((await m.run(['logs', '-n', '50', '-a', 'node-hello'])).stdout).split('\n').find((l) => l.includes('sample#memory_rss=')), 'a runtime metrics line', 20_000, 300);
    expect(line).toMatch(/minik\[web\.1\]: source=web\.1 dyno=minik\.\d+ sample#memory_total=[\d.]+MB sample#memory_rss=[\d.]+MB/);
    const unknown = await m.run(['labs:enable', 'turbo', '-a', 'node-hello']);
    expect(String(unknown.stderr)).toContain("'turbo' is not a labs feature");
    expect((await m.run(['labs:disable', 'log-runtime-metrics', '-a', 'node-hello'])).exitCode).toBe(0);
  });

  it('ships app and router lines to an HTTP drain in logplex frames', async () => {
    const url = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/logs`;
    const add = await m.run(['drains:add', url, '-a', 'node-hello']);
    expect(add.exitCode, String(add.stderr)).toBe(0);
    const list = JSON.parse(String((await m.run(['drains', '--json', '-a', 'node-hello'])).stdout)) as Array<{ url: string; token: string }>;
    expect(list).toEqual([expect.objectContaining({ url, token: expect.stringMatching(/^d\./) })]);
    await m.get('node-hello', '/drain-probe');
    await until(() => posts.some((p) => p.body.includes('path="/drain-probe"')), 'the router line at the drain', 20_000);
    const p = posts.find((x) => x.body.includes('path="/drain-probe"'))!;
    expect(p.headers['content-type']).toBe('application/logplex-1');
    expect(p.headers['logplex-drain-token']).toBe(list[0]!.token);
    expect(p.body).toMatch(/^\d+ <\d+>1 \S+ host (app|heroku) \S+ - /);
    expect(p.body).toContain(' host heroku router - at=info method=GET path="/drain-probe"');
    expect((await m.run(['drains:remove', url, '-a', 'node-hello'])).exitCode).toBe(0);
    const again = await m.run(['drains:remove', url, '-a', 'node-hello']);
    expect(String(again.stderr)).toContain(`${url} is not a drain of node-hello`);
    const bad = await m.run(['drains:add', 'ftp://x', '-a', 'node-hello']);
    expect(String(bad.stderr)).toContain("drain URL 'ftp://x' must start with http://, https:// or syslog://");
  });
});
