// Dynos whose processes daemonize (setsid, double fork) are still stopped whole: on stop, on restart and
// when the dyno crashes, by the marker every process of it carries. And a crash-looping web dyno gets a
// fresh port on each start.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { bootId, homeId, markedProcesses, parseMarker } from '../../../src/supervisor/owner.js';
import { alive, harness, waitFor, type Harness } from './helpers.js';

let h: Harness;
afterEach(async () => {
  await h.cleanup();
});

/** Pids carrying exactly this marker. */
const carriers = (marker: string) => markedProcesses((m) => m === marker).map((p) => p.pid);
const DAEMONIZES = '(setsid sleep 1000 &); exec sleep 1000';

/** A process's command name, or '' once it is gone. */
function comm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** A dyno whose command leaves a setsid'ed sleep in a session of its own; resolves once both run. */
async function daemonizingDyno(over: Parameters<Harness['spec']>[0] = {}) {
  const dyno = h.sup.start(h.spec({ command: DAEMONIZES, ...over }));
  const marker = dyno.marker!;
  // Wait for the setsid'ed sleep itself: until then the short-lived subshell that forks it may be the only
  // other carrier, and a stop that starts in between would be racing the fork, not testing the marker.
  const escapedSleeps = () => carriers(marker).filter((p) => p !== dyno.pid && comm(p) === 'sleep');
  await waitFor(() => escapedSleeps().length >= 1 && carriers(marker).every((p) => comm(p) === 'sleep'), 3000, 'the setsid child');
  const escaped = escapedSleeps();
  expect(escaped.length).toBeGreaterThanOrEqual(1);
  return { dyno, marker, escaped };
}

describe('ownership marker', () => {
  it('names the home, the boot, the kind, the app and the dyno, and is new for each process', async () => {
    h = harness({ home: '/tmp/some-minik-home' });
    const dyno = h.sup.start(h.spec({ command: 'sleep 1000', name: 'worker.2', type: 'worker' }));
    const first = dyno.marker!;
    expect(parseMarker(first)).toMatchObject({ home: homeId('/tmp/some-minik-home'), boot: bootId(), kind: 'dyno', app: 'demo', name: 'worker.2' });
    // Between fork and exec a child still has the daemon's environment: wait for the exec'ed process.
    await waitFor(() => carriers(first).join() === String(dyno.pid), 3000, 'the marked process');
    await h.sup.restart(dyno);
    expect(dyno.marker).not.toBe(first);
    await waitFor(() => carriers(dyno.marker!).join() === String(dyno.pid), 3000, 'the restarted marked process');
    expect(carriers(first)).toEqual([]);
  });
});

describe('a dyno that daemonizes a child', () => {
  it('leaves nothing behind when stopped (as on scale down)', async () => {
    h = harness();
    const { dyno, marker, escaped } = await daemonizingDyno();
    await h.sup.stop(dyno);
    expect(carriers(marker)).toEqual([]);
    for (const p of escaped) expect(alive(p)).toBe(false);
  });

  it('leaves nothing of the old process when restarted', async () => {
    h = harness();
    const { dyno, marker, escaped } = await daemonizingDyno({ restart: true });
    await h.sup.restart(dyno);
    expect(carriers(marker)).toEqual([]);
    for (const p of escaped) expect(alive(p)).toBe(false);
  });

  it('has its daemonized child stopped when it crashes, before the restart', async () => {
    h = harness();
    const dyno = h.sup.start(h.spec({ command: '(setsid sleep 1000 &); sleep 0.3; exit 3', restart: true }));
    const marker = dyno.marker!;
    await waitFor(() => carriers(marker).length >= 2, 3000, 'the setsid child');
    const escaped = carriers(marker).filter((p) => p !== dyno.pid);
    await waitFor(() => dyno.restarts >= 1, 5000, 'the restart');
    expect(carriers(marker)).toEqual([]);
    for (const p of escaped) expect(alive(p)).toBe(false);
  });
});

describe('web dyno ports', () => {
  it('takes a fresh port on each restart of a crash loop, and gives every port back when stopped', async () => {
    h = harness();
    const port = h.sup.ports.take();
    const dyno = h.sup.start(h.spec({ command: 'echo "PORT=$PORT"; exit 1', port, restart: true, env: { ...h.spec({}).env, PORT: String(port) } }));
    await waitFor(() => dyno.restarts >= 2, 8000, 'two restarts');
    const seen = h.messages('web.1', 'app').filter((m) => m.startsWith('PORT=')).map((m) => Number(m.slice(5)));
    expect(seen[0]).toBe(port);
    expect(new Set(seen).size).toBe(seen.length);
    expect(dyno.spec.port).toBe(Number(dyno.spec.env.PORT));
    expect(h.sup.ports.reserved).toBe(1);
    await h.sup.stop(dyno);
    expect(h.sup.ports.reserved).toBe(0);
  });
});
