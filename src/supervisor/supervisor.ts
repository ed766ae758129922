// Why: the daemon's handle on every running dyno: start, stop, restart, list, usage, and one
// 'change' event so the daemon can persist dynos and update routes without polling.
import { EventEmitter } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { Dyno } from './dyno.js';
import type { LogHub } from './logs.js';
import { newMarker } from './owner.js';
import { dynoPortRange, PortAllocator, type PortRange } from './ports.js';
import { DEFAULT_BACKOFF, type BackoffOptions, type DynoSpec, type DynoUsage } from './types.js';
import { UsageSampler } from './usage.js';

/** Why: the Supervisor's knobs; everything but `logs` has a production default. */
export interface SupervisorOptions {
  logs: LogHub;
  backoff?: Partial<BackoffOptions>;
  /** Dynos without a port are 'up' after this long alive (default 1000 ms). */
  upAfterMs?: number;
  /** How often memory is sampled for R14/R15 (default 2000 ms). */
  sampleEveryMs?: number;
  /** MINIK_HOME: every process started carries a marker naming it, so recovery finds them (default: a folder of its own). */
  home?: string;
  /** Where web dyno ports come from (default: below the kernel's ephemeral range, see ports.ts). */
  ports?: PortRange;
}

/** Why: owns the dynos; emits 'change' (dyno) on every state, pid or restart change. */
export class Supervisor extends EventEmitter {
  readonly #logs: LogHub;
  readonly #backoff: BackoffOptions;
  readonly #upAfterMs: number;
  readonly #sampleEveryMs: number;
  readonly #dynos = new Set<Dyno>();
  readonly #sampler = new UsageSampler();
  readonly #home: string;
  /** The dyno ports this daemon hands out; startDyno takes one, a stopped dyno gives it back. */
  readonly ports: PortAllocator;
  #timer: NodeJS.Timeout | null = null;

  constructor(opts: SupervisorOptions) {
    super();
    this.#logs = opts.logs;
    this.#backoff = { ...DEFAULT_BACKOFF, ...definedOnly(opts.backoff ?? {}) };
    this.#upAfterMs = opts.upAfterMs ?? 1000;
    this.#sampleEveryMs = opts.sampleEveryMs ?? 2000;
    // Without a home, a name no other supervisor shares: its markers are still unique, and no recovery reaps them.
    this.#home = opts.home ?? path.join(os.tmpdir(), `minik-supervisor-${process.pid}-${Math.random().toString(36).slice(2)}`);
    this.ports = new PortAllocator(opts.ports ?? dynoPortRange(undefined));
  }

  /** Spawns a dyno and returns it in state 'starting'; a dyno may share its name with one being retired. */
  start(spec: DynoSpec): Dyno {
    const dyno = new Dyno(spec, {
      logs: this.#logs,
      backoff: this.#backoff,
      upAfterMs: this.#upAfterMs,
      onChange: (d) => this.emit('change', d),
      newMarker: (s) => newMarker({ home: this.#home, kind: 'dyno', app: s.app, name: s.name }),
      ports: this.ports,
    });
    dyno.launch(); // throws before spawning if the app name cannot name a log file
    this.#dynos.add(dyno);
    this.#ensureSampler();
    return dyno;
  }

  /** The most recently started dyno with that name. */
  get(app: string, name: string): Dyno | undefined {
    let found: Dyno | undefined;
    for (const d of this.#dynos) if (d.spec.app === app && d.spec.name === name) found = d;
    return found;
  }

  /** Every dyno (of one app), in start order. */
  list(app?: string): Dyno[] {
    return [...this.#dynos].filter((d) => app === undefined || d.spec.app === app);
  }

  /** Stops for good (no restart) and removes it from the list once its whole group is gone. */
  async stop(dyno: Dyno): Promise<void> {
    try {
      await dyno.stop();
    } finally {
      this.#dynos.delete(dyno);
      if (this.#dynos.size === 0) this.#stopSampler();
    }
  }

  /** Stops, then starts a fresh process with the same spec and name; keeps the restart count. */
  restart(dyno: Dyno): Promise<void> {
    return dyno.restart();
  }

  /** Stops every dyno in parallel, e.g. on daemon shutdown. */
  async stopAll(): Promise<void> {
    await Promise.all(this.list().map((d) => this.stop(d)));
  }

  /** RSS (bytes) and CPU (% of one core since the last sample), summed over each dyno's group. */
  usage(): Map<string, DynoUsage> {
    const live = this.list().filter((d) => d.pid !== null);
    const byPgid = this.#sampler.sample(live.map((d) => ({ pgid: d.pid!, startTime: d.startTime })));
    const out = new Map<string, DynoUsage>();
    for (const d of this.list()) out.set(d.key, (d.pid !== null && byPgid.get(d.pid)) || { rss: 0, cpu: 0 });
    return out;
  }

  #ensureSampler(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.#checkMemory(), this.#sampleEveryMs);
    this.#timer.unref();
  }

  #stopSampler(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  #checkMemory(): void {
    if (!this.list().some((d) => d.spec.memoryLimitBytes)) return;
    const usage = this.usage();
    for (const d of this.list()) {
      const u = usage.get(d.key);
      if (u && d.pid !== null) d.checkMemory(u.rss);
    }
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
