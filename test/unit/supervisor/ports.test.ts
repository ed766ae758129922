// Dyno ports: a range of their own outside the kernel's ephemeral range, never one a socket holds.
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MinikError } from '../../../src/core/errors.js';
import { dynoPortRange, ephemeralRange, parsePortsInUse, PortAllocator } from '../../../src/supervisor/ports.js';

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** Listens on 127.0.0.1:port (0: any); resolves with the port. */
async function listen(port = 0): Promise<number> {
  const s = net.createServer();
  servers.push(s);
  await new Promise<void>((resolve, reject) => s.once('error', reject).listen(port, '127.0.0.1', resolve));
  return (s.address() as net.AddressInfo).port;
}

/** A listener on a random port from 11000-14998 with its neighbour free (retries on a taken one). */
async function listenOutsideEphemeral(): Promise<number> {
  for (;;) {
    const port = 11000 + Math.floor(Math.random() * 3999);
    if (parsePortsInUse(readFileSync('/proc/net/tcp', 'utf8'), readFileSync('/proc/net/tcp6', 'utf8')).has(port + 1)) continue;
    try {
      return await listen(port);
    } catch {
      // taken meanwhile: pick another
    }
  }
}

describe('dynoPortRange', () => {
  it('defaults to 20000-29999 below the usual ephemeral range, else just below or above it', () => {
    expect(dynoPortRange(undefined, { lo: 32768, hi: 60999 })).toEqual({ lo: 20000, hi: 29999 });
    expect(dynoPortRange(undefined, { lo: 15000, hi: 60999 })).toEqual({ lo: 5000, hi: 14999 });
    expect(dynoPortRange(undefined, { lo: 1024, hi: 50000 })).toEqual({ lo: 50001, hi: 60000 });
    expect(() => dynoPortRange(undefined, { lo: 1024, hi: 65000 })).toThrow('the ephemeral port range 1024-65000 leaves no room for a dyno port range');
  });

  it('takes MINIK_DYNO_PORTS=lo-hi, and names a bad value', () => {
    expect(dynoPortRange('40000-40100')).toEqual({ lo: 40000, hi: 40100 });
    for (const bad of ['40000', '9-99999', '500-600', '3000-2000', 'a-b']) {
      expect(() => dynoPortRange(bad)).toThrow(`MINIK_DYNO_PORTS=${bad} is not a port range`);
    }
  });

  it('reads the kernel range, and never overlaps it by default', () => {
    const eph = ephemeralRange();
    expect(eph.lo).toBeLessThanOrEqual(eph.hi);
    const r = dynoPortRange(undefined);
    expect(r.hi < eph.lo || r.lo > eph.hi).toBe(true);
    expect(ephemeralRange('1024\t4999\n')).toEqual({ lo: 1024, hi: 4999 });
  });
});

describe('parsePortsInUse', () => {
  it('reads the local port of every row of /proc/net/tcp and tcp6', () => {
    const tcp = '  sl  local_address rem_address   st\n   0: 0100007F:1F90 00000000:0000 0A\n   1: 0100007F:D431 0100007F:1F90 01\n';
    const tcp6 = '  sl  local_address\n   0: 00000000000000000000000000000000:4E20 00000000000000000000000000000000:0000 0A\n';
    expect([...parsePortsInUse(tcp, tcp6)].sort()).toEqual([20000, 54321, 8080].sort());
  });
});

describe('PortAllocator', () => {
  it('never hands out a port another listener holds, nor one it reserved', async () => {
    // Outside the ephemeral range (which outgoing connections of other processes use) and minik's own ranges,
    // so under load nothing but this test holds taken + 1.
    const taken = await listenOutsideEphemeral();
    const a = new PortAllocator({ lo: taken, hi: taken + 1 });
    for (let i = 0; i < 5; i++) {
      const p = a.take();
      expect(p).toBe(taken + 1);
      a.release(p);
    }
    a.take();
    expect(() => a.take()).toThrow(MinikError);
    expect(() => a.take()).toThrow(`every dyno port from ${taken} to ${taken + 1} is in use`);
  });

  it('gives a port back on release, and ignores ports it never reserved', () => {
    const a = new PortAllocator({ lo: 40000, hi: 40000 }, () => new Set());
    expect(a.take()).toBe(40000);
    a.release(12345);
    expect(a.reserved).toBe(1);
    a.release(40000);
    expect(a.take()).toBe(40000);
  });

  it('takes ports from a refreshed snapshot without reading the sockets again, for 10 s at most', async () => {
    let reads = 0;
    let busy = new Set([40000]);
    const a = new PortAllocator({ lo: 40000, hi: 40001 }, () => { reads++; return busy; }, () => Promise.resolve(new Set([40001])));
    await a.refresh();
    expect(a.take()).toBe(40000); // the snapshot says 40001 is taken
    a.release(40000);
    expect(reads).toBe(0);
    vi.useFakeTimers({ now: Date.now() + 10_500, toFake: ['Date'] });
    try {
      busy = new Set([40000]);
      expect(a.take()).toBe(40001); // a stale snapshot is read again, synchronously
      expect(reads).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
