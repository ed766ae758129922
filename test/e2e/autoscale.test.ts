// Issue 13: autoscaling under a bounded load rises, and falls back to --min once the load stops.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixture, minik, until, type Minik } from './harness.js';

interface Entry { type: string; quantity: number }

describe('ps:autoscale', () => {
  let m: Minik;
  const web = async () => (JSON.parse(String((await m.run(['scale', '--json', '-a', 'node-load'])).stdout)) as Entry[]).find((e) => e.type === 'web')!.quantity;
  const releases = async () => (JSON.parse(String((await m.run(['releases', '--json', '-a', 'node-load'])).stdout)) as unknown[]).length;

  beforeAll(async () => {
    m = await minik({ MINIK_AUTOSCALE_INTERVAL: '1000' });
    const up = await m.run(['up', await copyFixture('node-load', m.home)]);
    expect(up.exitCode, `${up.stdout}\n${up.stderr}`).toBe(0);
  });
  afterAll(async () => { await m.stop(); });

  it('refuses other process types and bad ranges with a sentence', async () => {
    const worker = await m.run(['ps:autoscale:enable', 'worker', '--min', '1', '--max', '2', '-a', 'node-load']);
    expect(worker.exitCode).not.toBe(0);
    expect(String(worker.stderr)).toContain("autoscaling is for web dynos only, not 'worker'");
    const range = await m.run(['ps:autoscale:enable', 'web', '--min', '3', '--max', '2', '-a', 'node-load']);
    expect(String(range.stderr)).toContain('--min 3 --max 2 is not a range');
  });

  it('adds web dynos while the p95 is over target, then returns to --min; no release is cut', async () => {
    const before = await releases();
    const on = await m.run(['ps:autoscale:enable', 'web', '--min', '1', '--max', '3', '--p95', '200', '-a', 'node-load']);
    expect(on.exitCode, String(on.stderr)).toBe(0);
    expect(String((await m.run(['ps', '-a', 'node-load'])).stdout)).toContain('Autoscaling web: 1 to 3 dynos, p95 target 200ms');
    expect(String((await m.run(['info', '-a', 'node-load'])).stdout)).toMatch(/Autoscaling:\s+web 1\.\.3 \(p95 200ms\)/);

    // Bounded load: 8 clients in a loop until the formation has grown (or 60 s).
    let loading = true;
    const client = async () => { while (loading) await m.get('node-load').catch(() => undefined); };
    const clients = Array.from({ length: 8 }, client);
    try {
      await until(async () => (await web()) >= 2, 'autoscaling to add a web dyno', 60_000, 500);
    } finally {
      loading = false;
      await Promise.all(clients);
    }
    const logs = String((await m.run(['logs', '-n', '300', '-a', 'node-load'])).stdout);
    expect(logs).toMatch(/app\[minik\]: Autoscaling web from 1 to 2 \(p95 \d+ms > 200ms\)/);

    await until(async () => (await web()) === 1, 'autoscaling back to --min', 90_000, 500);
    const after = String((await m.run(['logs', '-n', '300', '-a', 'node-load'])).stdout);
    expect(after).toMatch(/Autoscaling web from 2 to 1 \(no traffic for 5 intervals\)/);
    expect(await releases()).toBe(before);
  });

  it('a manual scale turns autoscaling off and says so', async () => {
    const r = await m.run(['scale', 'web=2', '-a', 'node-load']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(String(r.stderr)).toContain("Autoscaling for web disabled by this manual scale; re-enable it with 'minik ps:autoscale:enable web'");
    expect(String((await m.run(['ps', '-a', 'node-load'])).stdout)).not.toContain('Autoscaling web');
  });
});
