// Why: a web dyno's PORT comes from a range of its own, below the kernel's ephemeral range
// (ip_local_port_range), so an outgoing connection can never take it between allocation and bind; a
// reservation set keeps two dynos of this daemon apart, and /proc/net/tcp{,6} shows every socket
// already holding a port, synchronously.
import fs from 'node:fs';
import { invalid, MinikError } from '../core/errors.js';

/** An inclusive port range. */
export interface PortRange {
  lo: number;
  hi: number;
}

/** Why: the range Linux hands out for outgoing connections; its default when /proc does not say. */
export function ephemeralRange(text?: string): PortRange {
  let raw = text;
  if (raw === undefined) {
    try {
      raw = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8');
    } catch {
      raw = '32768 60999';
    }
  }
  const [lo, hi] = raw.trim().split(/\s+/).map(Number);
  return lo && hi && lo <= hi ? { lo, hi } : { lo: 32768, hi: 60999 };
}

/** The preferred dyno range: out of the way of common dev servers (3000, 5000, 8000, 8080). */
const PREFERRED: PortRange = { lo: 20000, hi: 29999 };
const MIN_SIZE = 1000;

/**
 * Why: MINIK_DYNO_PORTS=lo-hi, or a default outside the ephemeral range: 20000-29999 when that lies below
 * it, else the 10,000 ports (or as many as fit) just below it, else just above it.
 */
export function dynoPortRange(setting: string | undefined, ephemeral: PortRange = ephemeralRange()): PortRange {
  if (setting !== undefined && setting !== '') {
    const m = /^(\d+)-(\d+)$/.exec(setting.trim());
    const lo = Number(m?.[1]);
    const hi = Number(m?.[2]);
    if (!m || lo < 1024 || hi > 65535 || lo > hi) {
      throw invalid(`MINIK_DYNO_PORTS=${setting} is not a port range like 20000-29999 (from 1024 to 65535)`, 'fix MINIK_DYNO_PORTS or unset it to use the default');
    }
    return { lo, hi };
  }
  if (PREFERRED.hi < ephemeral.lo) return PREFERRED;
  if (ephemeral.lo - 1024 >= MIN_SIZE) return { lo: Math.max(1024, ephemeral.lo - 10000), hi: ephemeral.lo - 1 };
  if (65535 - ephemeral.hi >= MIN_SIZE) return { lo: ephemeral.hi + 1, hi: Math.min(65535, ephemeral.hi + 10000) };
  throw invalid(
    `the ephemeral port range ${ephemeral.lo}-${ephemeral.hi} leaves no room for a dyno port range`,
    'set MINIK_DYNO_PORTS=lo-hi to ports nothing else uses',
  );
}

/** Local ports of every TCP socket in /proc/net/tcp and tcp6 text (listening or connected). */
export function parsePortsInUse(...tables: string[]): Set<number> {
  const used = new Set<number>();
  for (const text of tables) {
    for (const line of text.split('\n').slice(1)) {
      const local = line.trim().split(/\s+/)[1];
      const hex = local?.slice(local.lastIndexOf(':') + 1);
      if (hex) used.add(parseInt(hex, 16));
    }
  }
  return used;
}

const TABLES = ['/proc/net/tcp', '/proc/net/tcp6'];

function portsInUse(): Set<number> {
  const read = (f: string) => {
    try {
      return fs.readFileSync(f, 'utf8');
    } catch {
      return '';
    }
  };
  return parsePortsInUse(...TABLES.map(read));
}

async function portsInUseAsync(): Promise<Set<number>> {
  const tables = await Promise.all(TABLES.map((f) => fs.promises.readFile(f, 'utf8').catch(() => '')));
  return parsePortsInUse(...tables);
}

/**
 * How long a background read of the sockets in use stands in for a fresh one. Why: the kernel builds
 * /proc/net/tcp by walking its whole socket table, ~10 ms here and 100+ ms under load, and a synchronous read
 * blocks the router too. Each rollout asks for a read once it is done (refresh), so the next one's take()
 * is free. Our own dynos' ports are in the reservation set whatever the snapshot's age; a stale snapshot can
 * only miss a stranger that started listening in our range within those seconds, and that dyno then fails
 * to boot (EADDRINUSE) with the running release still serving.
 */
const SNAPSHOT_MS = 10_000;

/** Why: hands out dyno ports from its range, never one reserved here or held by any socket now. */
export class PortAllocator {
  readonly range: PortRange;
  readonly #reserved = new Set<number>();
  readonly #inUse: () => Set<number>;
  readonly #inUseAsync: () => Promise<Set<number>>;
  #snapshot: { at: number; used: Set<number> } | null = null;
  #refreshing: Promise<void> | null = null;

  constructor(range: PortRange, inUse: () => Set<number> = portsInUse, inUseAsync?: () => Promise<Set<number>>) {
    this.range = range;
    this.#inUse = inUse;
    this.#inUseAsync = inUseAsync ?? (inUse === portsInUse ? portsInUseAsync : () => Promise.resolve(inUse()));
  }

  /** Reads the ports in use off the event loop; a take() within SNAPSHOT_MS uses that read. Never rejects. */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#inUseAsync()
      .then((used) => { this.#snapshot = { at: Date.now(), used }; }, () => {})
      .finally(() => { this.#refreshing = null; });
    return this.#refreshing;
  }

  /**
   * A free port, now reserved. The scan starts at a random place in the range: daemons of other
   * MINIK_HOMEs (tests run several at once) then rarely pick the same port in the same instant.
   */
  take(): number {
    const { lo, hi } = this.range;
    const size = hi - lo + 1;
    const snap = this.#snapshot;
    const used = snap && Date.now() - snap.at < SNAPSHOT_MS ? snap.used : this.#inUse();
    const start = Math.floor(Math.random() * size);
    for (let i = 0; i < size; i++) {
      const port = lo + ((start + i) % size);
      if (this.#reserved.has(port) || used.has(port)) continue;
      this.#reserved.add(port);
      return port;
    }
    throw new MinikError(`every dyno port from ${lo} to ${hi} is in use`, {
      hint: 'stop some dynos, or set MINIK_DYNO_PORTS=lo-hi to a larger range and restart the daemon',
      code: 'conflict',
    });
  }

  /** Gives a port back once its dyno stopped; ports not reserved here are ignored. */
  release(port: number | null | undefined): void {
    if (port != null) this.#reserved.delete(port);
  }

  /** How many ports are reserved now. */
  get reserved(): number {
    return this.#reserved.size;
  }
}

/**
 * Why: a web dyno restarts on a fresh port: its old one may have been taken meanwhile, and a dyno that
 * failed with EADDRINUSE would otherwise crash-loop on it for ever (Heroku too gives each start its
 * own). Returns the spec moved to a new port, the old one given back; the same spec when it has none.
 */
export function withFreshPort<T extends { port: number | null; env: Record<string, string> }>(spec: T, ports: PortAllocator): T {
  if (spec.port === null) return spec;
  const port = ports.take();
  ports.release(spec.port);
  return { ...spec, port, env: { ...spec.env, PORT: String(port) } };
}
