// Why: the one owner of live metrics. The router calls onRequest (counters in memory only); a 1 s timer writes
// what changed in one transaction; a 20 s timer samples each dyno's process tree; old rows are rolled up and pruned.
import type { AppMetrics, DynoMetrics } from '../core/metrics.js';
import type { Store } from '../store/index.js';
import type { Dyno, LogHub, Supervisor } from '../supervisor/index.js';
import { UsageSampler } from '../supervisor/usage.js';
import { addSample, Bucket, minuteOf, percentile, type RequestSample } from './minute.js';
import { rollupWindow, tenMinutesOf } from './rollup.js';
import { nextLoad, runtimeLines, type Load } from './runtime.js';

const DAY = 86_400_000;
const WINDOW_LIMIT = 2_000;

interface DynoAcc { app: string; dyno: string; at: number; rss: number; cpuSum: number; samples: number; restarts: number; stateChanges: number; dirty: boolean; lastRestarts: number }

/** Recent traffic of one app since the autoscaler last looked. */
export interface TrafficWindow {
  requests: number;
  /** ms; null when nothing was timed. */
  p95: number | null;
}

export interface MetricsOptions {
  store: Store;
  supervisor: Supervisor;
  logs: LogHub;
  /** Dyno sampling period (Heroku: 20 s). */
  sampleEveryMs?: number;
  /** Write period; at most one transaction per period (default 1 s). */
  flushEveryMs?: number;
}

/** Live metrics of every app and dyno, and their history in the store. */
export class Metrics {
  readonly #o: Required<MetricsOptions>;
  readonly #buckets = new Map<string, Bucket>();
  readonly #closed: AppMetrics[] = [];
  readonly #windows = new Map<string, { requests: number; timed: number; times: number[] }>();
  readonly #dynos = new Map<string, DynoAcc>();
  readonly #states = new Map<string, string>();
  readonly #loads = new Map<string, Load>();
  /** Why: a dyno minute that ends between flushes waits here, with the closed app minutes, for the next write. */
  readonly #pendingDynos: DynoMetrics[] = [];
  readonly #sampler = new UsageSampler();
  #timers: NodeJS.Timeout[] = [];
  #lastRolled = tenMinutesOf(Date.now());
  #lastSample = Date.now();

  constructor(opts: MetricsOptions) {
    this.#o = { sampleEveryMs: 20_000, flushEveryMs: 1_000, ...opts };
    opts.supervisor.on('change', (d: Dyno) => this.#onDynoChange(d));
  }

  /** The router's hook: counts one finished request of an app (null app = no such app, not counted). */
  onRequest = (app: string | null, s: RequestSample): void => {
    if (app === null) return;
    const now = Date.now();
    let b = this.#buckets.get(app);
    if (b === undefined || now - b.at >= 60_000) b = this.#rotate(app, b, now);
    b.record(s);
    if (s.status === 101) return;
    let w = this.#windows.get(app);
    if (w === undefined) this.#windows.set(app, (w = { requests: 0, timed: 0, times: [] }));
    w.requests++;
    if (s.serviceMs >= 0) addSample(w.times, ++w.timed, s.serviceMs, WINDOW_LIMIT);
  };

  /** Starts the flush and sampling timers (the first rollup covers the window before the daemon started). */
  start(): void {
    this.#lastRolled = tenMinutesOf(Date.now()) - 1_200_000;
    this.#timers = [
      setInterval(() => this.flush(), this.#o.flushEveryMs),
      setInterval(() => this.sampleDynos(), this.#o.sampleEveryMs),
    ];
    for (const t of this.#timers) t.unref();
  }

  /** Stops the timers and writes what is pending. */
  stop(): void {
    for (const t of this.#timers) clearInterval(t);
    this.flush();
  }

  /** Requests and p95 since the last call for this app (the autoscaler's view), then starts a new window. */
  takeWindow(app: string): TrafficWindow {
    const w = this.#windows.get(app);
    this.#windows.delete(app);
    if (!w) return { requests: 0, p95: null };
    return { requests: w.requests, p95: percentile(Float64Array.from(w.times).sort(), 95) };
  }

  /** Stored rows since `since` (epoch ms): 1-minute rows for up to 24 h back, 10-minute rows beyond. */
  series(app: string | null, since: number, now = Date.now()): { res: 1 | 10; apps: AppMetrics[]; dynos: DynoMetrics[] } {
    const res = now - since > DAY ? 10 : 1;
    const from = res === 1 ? minuteOf(since) : tenMinutesOf(since);
    return { res, apps: this.#o.store.metrics.appMetrics(app, res, from, now + 1), dynos: this.#o.store.metrics.dynoMetrics(app, res, from, now + 1) };
  }

  /** Writes closed and changed minutes in one transaction; every 10 minutes rolls up and prunes. */
  flush(now = Date.now()): void {
    const apps = this.#closed.splice(0);
    for (const [app, b] of this.#buckets) {
      if (b.dirty) apps.push(b.summary(app));
      b.dirty = false;
      if (now - b.at >= 60_000) this.#buckets.delete(app);
    }
    const dynos = this.#pendingDynos.splice(0);
    for (const [key, d] of this.#dynos) {
      if (d.dirty) dynos.push(dynoRow(d));
      d.dirty = false;
      if (now - d.at >= 60_000) this.#dynos.delete(key);
    }
    const store = this.#o.store.metrics;
    if (apps.length > 0 || dynos.length > 0) store.writeBatch(apps, dynos);
    const window = tenMinutesOf(now) - 600_000;
    if (window > this.#lastRolled) {
      this.#lastRolled = window;
      const r = rollupWindow(window, store.appMetrics(null, 1, window, window + 600_000), store.dynoMetrics(null, 1, window, window + 600_000));
      store.writeBatch(r.apps, r.dynos);
      store.prune(now - DAY, now - 7 * DAY);
    }
  }

  /** Samples every running dyno's process tree (RSS, CPU) and logs runtime metrics where the labs feature is on. */
  sampleDynos(now = Date.now()): void {
    const { supervisor, store, logs } = this.#o;
    const live = supervisor.list().filter((d) => d.pid !== null && d.state !== 'down');
    const usage = this.#sampler.sample(live.map((d) => ({ pgid: d.pid!, startTime: d.startTime })), now);
    const labs = new Set(store.features.appsWithLabs('log-runtime-metrics'));
    const dt = now - this.#lastSample;
    this.#lastSample = now;
    for (const d of live) {
      const u = usage.get(d.pid!);
      if (!u) continue;
      const acc = this.#acc(d.spec.app, d.spec.name, now, d.restarts);
      acc.rss = Math.max(acc.rss, u.rss);
      acc.cpuSum += u.cpu;
      acc.samples++;
      acc.dirty = true;
      const load = nextLoad(this.#loads.get(d.key), u.cpu, dt);
      this.#loads.set(d.key, load);
      if (labs.has(d.spec.app)) {
        for (const line of runtimeLines(d.spec.name, String(d.pid), u.rss, d.spec.memoryLimitBytes ?? 512 * 1024 * 1024, load)) logs.write(d.spec.app, 'minik', d.spec.name, line);
      }
    }
    for (const key of this.#loads.keys()) if (!live.some((d) => d.key === key)) this.#loads.delete(key);
  }

  #rotate(app: string, old: Bucket | undefined, now: number): Bucket {
    if (old?.dirty) this.#closed.push(old.summary(app));
    const b = new Bucket(minuteOf(now));
    this.#buckets.set(app, b);
    return b;
  }

  #acc(app: string, dyno: string, now: number, restarts: number): DynoAcc {
    const key = `${app}\0${dyno}`;
    const at = minuteOf(now);
    let acc = this.#dynos.get(key);
    if (acc && acc.at !== at) {
      if (acc.dirty) this.#pendingDynos.push(dynoRow(acc));
      acc = { ...acc, at, rss: 0, cpuSum: 0, samples: 0, restarts: 0, stateChanges: 0, dirty: false };
      this.#dynos.set(key, acc);
    }
    if (!acc) this.#dynos.set(key, (acc = { app, dyno, at, rss: 0, cpuSum: 0, samples: 0, restarts: 0, stateChanges: 0, dirty: false, lastRestarts: restarts }));
    if (restarts > acc.lastRestarts) acc.restarts += restarts - acc.lastRestarts;
    acc.lastRestarts = restarts;
    return acc;
  }

  #onDynoChange(d: Dyno): void {
    const prev = this.#states.get(d.key);
    if (d.state === 'down') this.#states.delete(d.key);
    else this.#states.set(d.key, d.state);
    if (prev === d.state) return;
    const acc = this.#acc(d.spec.app, d.spec.name, Date.now(), d.restarts);
    acc.stateChanges++;
    acc.dirty = true;
  }
}

function dynoRow(d: DynoAcc): DynoMetrics {
  const cpu = Math.round((d.cpuSum / Math.max(1, d.samples)) * 10) / 10;
  return { app: d.app, dyno: d.dyno, res: 1, at: d.at, rss: d.rss, cpu, restarts: d.restarts, stateChanges: d.stateChanges };
}
