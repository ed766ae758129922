// Crashes, restart back-off, boot timeout (R10) and crash cleanup of leftover group members.
import { afterEach, describe, expect, it } from 'vitest';
import type { Dyno } from '../../../src/supervisor/dyno.js';
import { groupPids, harness, waitFor, type Harness } from './helpers.js';

let h: Harness;
afterEach(async () => {
  await h.cleanup();
});

/** Delays (ms) between each crash and the restart it scheduled, as announced by nextRestartAt. */
function recordDelays(h: Harness): number[] {
  const delays: number[] = [];
  h.sup.on('change', (d: Dyno) => {
    if (d.nextRestartAt && d.state === 'crashed') delays.push(d.nextRestartAt.getTime() - Date.now());
  });
  return delays;
}

describe('crash restarts', () => {
  it('restarts with exponential back-off capped at capMs, counting restarts', async () => {
    h = harness({ upAfterMs: 5000, backoff: { baseMs: 100, capMs: 300 } });
    const delays = recordDelays(h);
    const dyno = h.sup.start(h.spec({ name: 'worker.1', command: 'echo boom; exit 3', restart: true }));
    await expect(dyno.waitUp()).rejects.toMatchObject({ code: 'crashed', message: expect.stringContaining('status 3') });
    expect(dyno.state).toBe('crashed');
    await waitFor(() => dyno.nextRestartAt !== null, 2000, 'nextRestartAt');
    await waitFor(() => dyno.restarts >= 3 && delays.length >= 4, 5000, 'three restarts');
    const rounded = delays.slice(0, 4).map((d) => Math.round(d / 100) * 100);
    expect(rounded).toEqual([100, 200, 300, 300]);
    const lines = h.messages('worker.1', 'minik');
    expect(lines).toContain('Process exited with status 3');
    expect(lines).toContain('State changed from starting to crashed');
    expect(lines).toContain('State changed from crashed to starting');
    expect(h.messages('worker.1', 'app').filter((m) => m === 'boom').length).toBeGreaterThanOrEqual(3);
  });

  it('resets the back-off after a run stayed up resetAfterMs', async () => {
    h = harness({ upAfterMs: 50, backoff: { baseMs: 100, resetAfterMs: 200 } });
    const delays = recordDelays(h);
    const dyno = h.sup.start(h.spec({ name: 'worker.1', command: 'sleep 0.4; exit 1', restart: true }));
    await waitFor(() => delays.length >= 2, 5000, 'two crashes');
    expect(delays.map((d) => Math.round(d / 100) * 100)).toEqual([100, 100]);
    expect(dyno.restarts).toBeGreaterThanOrEqual(1);
  });

  it('stop() cancels a pending restart', async () => {
    h = harness({ upAfterMs: 5000, backoff: { baseMs: 10_000 } });
    const dyno = h.sup.start(h.spec({ command: 'exit 1', restart: true }));
    await waitFor(() => dyno.nextRestartAt !== null, 2000, 'nextRestartAt');
    await h.sup.stop(dyno);
    expect(dyno.state).toBe('down');
    expect(dyno.nextRestartAt).toBeNull();
    expect(h.sup.list()).toEqual([]);
  });

  it('does not restart one-off dynos; a clean exit is down, a failure crashed', async () => {
    h = harness();
    const ok = h.sup.start(h.spec({ name: 'run.1', type: 'run', command: 'exit 0' }));
    const bad = h.sup.start(h.spec({ name: 'run.2', type: 'run', command: 'exit 2' }));
    expect(await ok.waitExit()).toEqual({ code: 0, signal: null });
    expect(await bad.waitExit()).toEqual({ code: 2, signal: null });
    await waitFor(() => ok.state === 'down' && bad.state === 'crashed', 2000, 'final states');
    await new Promise((r) => setTimeout(r, 200));
    expect(bad.nextRestartAt).toBeNull();
    expect(bad.restarts).toBe(0);
  });

  it('kills group members the crashed leader left behind before restarting', async () => {
    h = harness({ upAfterMs: 5000, backoff: { baseMs: 60_000 } });
    const dyno = h.sup.start(h.spec({ command: 'sleep 1000 & sleep 0.3; exit 1', restart: true, stopTimeoutMs: 500 }));
    const pgid = dyno.pid!;
    await waitFor(() => groupPids(pgid).length >= 2, 2000, 'the background sleep');
    await waitFor(() => dyno.state === 'crashed', 3000, 'the crash');
    await waitFor(() => groupPids(pgid).length === 0, 2000, 'the leftover to be killed');
    await waitFor(() => dyno.nextRestartAt !== null, 2000, 'the restart to be scheduled');
  });
});

describe('boot timeout (R10)', () => {
  it('stops a web dyno that never binds $PORT, marks it crashed and rejects waitUp', async () => {
    h = harness();
    const port = h.sup.ports.take();
    const dyno = h.sup.start(h.spec({ command: 'sleep 1000', port, bootTimeoutMs: 500 }));
    const pgid = dyno.pid!;
    const t0 = Date.now();
    const err = await dyno.waitUp().catch((e: unknown) => e);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(450);
    expect(err).toMatchObject({ name: 'MinikError', code: 'boot_timeout' });
    expect((err as Error).message).toContain('web.1');
    expect((err as Error).message).toContain('0.5 seconds');
    await waitFor(() => dyno.state === 'crashed', 3000, 'crashed');
    expect(groupPids(pgid)).toEqual([]);
    expect(dyno.pid).toBeNull();
    await expect(dyno.waitUp()).rejects.toMatchObject({ code: 'boot_timeout' });
    expect(h.messages('web.1', 'minik')).toEqual([
      'Starting process with command `sleep 1000`',
      'Error R10 (Boot timeout) -> Web process failed to bind to $PORT within 0.5 seconds of launch',
      'Stopping all processes with SIGTERM',
      'Process exited with status 143',
      'State changed from starting to crashed',
    ]);
  });
});
