// Memory and CPU per dyno group, and the R14/R15 memory quota lines.
import { afterEach, describe, expect, it } from 'vitest';
import { harness, waitFor, type Harness } from './helpers.js';

let h: Harness;
afterEach(async () => {
  await h.cleanup();
});

const busyNode = `node -e "console.log('ready'); const end = Date.now() + 60000; (function spin(){ const t = Date.now() + 50; while (Date.now() < t); if (Date.now() < end) setImmediate(spin); })()"`;

describe('usage', () => {
  it('reports rss and cpu summed over a live dyno group', async () => {
    h = harness();
    const dyno = h.sup.start(h.spec({ command: busyNode }));
    await h.waitLog('web.1', 'ready', 'app');
    const first = h.sup.usage().get('demo/web.1')!;
    expect(first.rss).toBeGreaterThan(10 * 1024 * 1024);
    await new Promise((r) => setTimeout(r, 300));
    const second = h.sup.usage().get('demo/web.1')!;
    expect(second.cpu).toBeGreaterThan(5);
    await h.sup.stop(dyno);
    expect(h.sup.usage().size).toBe(0);
  });
});

describe('memory quota', () => {
  it('logs R14 above the limit, at most once a minute', async () => {
    h = harness();
    const dyno = h.sup.start(h.spec({ command: 'sleep 1000', memoryLimitBytes: 100 * 1048576 }));
    dyno.checkMemory(150 * 1048576);
    dyno.checkMemory(160 * 1048576);
    dyno.checkMemory(50 * 1048576);
    const lines = h.messages('web.1', 'minik');
    expect(lines.filter((l) => l === 'Error R14 (Memory quota exceeded)')).toHaveLength(1);
    expect(lines).toContain('Process running mem=150M(150.0%)');
    expect(lines.some((l) => l.includes('R15'))).toBe(false);
    expect(dyno.state).toBe('starting');
  });

  it('only logs R14 while the dyno boots, even past twice the limit: R15 waits until it is up', async () => {
    h = harness();
    const dyno = h.sup.start(h.spec({ command: 'sleep 1000', memoryLimitBytes: 100 * 1048576 }));
    dyno.checkMemory(300 * 1048576);
    const lines = h.messages('web.1', 'minik');
    expect(lines).toContain('Error R14 (Memory quota exceeded)');
    expect(lines.some((l) => l.includes('R15'))).toBe(false);
    expect(dyno.state).toBe('starting');
  });

  it('with a tiny limit, the sampler logs R14, then R15, and restarts the dyno as a crash', async () => {
    h = harness({ sampleEveryMs: 100, upAfterMs: 50, backoff: { baseMs: 5000 } });
    const dyno = h.sup.start(h.spec({ command: 'sleep 1000', memoryLimitBytes: 1024, restart: true }));
    await h.waitLog('web.1', 'Error R15 (Memory quota vastly exceeded)', 'minik', 3000);
    await waitFor(() => dyno.state === 'crashed' && dyno.nextRestartAt !== null, 3000, 'a crash restart');
    const lines = h.messages('web.1', 'minik');
    expect(lines).toContain('Error R14 (Memory quota exceeded)');
    expect(lines).toContain('Process exited with status 137');
  });
});
