// Why: drains are stored in SQLite (the one source of truth); the manager keeps one LogHub follower per app
// with drains and one shipper per drain, and re-reads the table when drains change or apps go away.
import { invalid } from '../core/errors.js';
import type { Drain } from '../core/metrics.js';
import type { Store } from '../store/index.js';
import type { LogHub } from '../supervisor/index.js';
import { createShipper, type Shipper, type ShipperOptions } from './shippers.js';

/** Checks a drain URL: http(s):// or syslog://host:port, no spaces. */
export function validateDrainUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid(`'${raw}' is not a URL`, 'use https://host/path or syslog://host:port');
  }
  if (!['http:', 'https:', 'syslog:'].includes(url.protocol) || !url.hostname) {
    throw invalid(`drain URL '${raw}' must start with http://, https:// or syslog:// and name a host`, 'e.g. minik drains:add https://logs.example.com/ingest');
  }
  if (url.protocol === 'syslog:' && !url.port) throw invalid(`syslog drain '${raw}' needs a port`, 'e.g. syslog://logs.example.com:514');
  return raw;
}

/** Every app's drains, shipping live. */
export class DrainManager {
  readonly #shippers = new Map<string, Shipper>();
  readonly #follows = new Map<string, () => void>();
  #timer: NodeJS.Timeout | null = null;

  constructor(private readonly store: Store, private readonly logs: LogHub, private readonly opts: ShipperOptions = {}) {}

  /** Starts shipping the stored drains, and re-checks every 10 s (an app destroyed drops its drains by cascade). */
  start(): void {
    this.sync();
    this.#timer = setInterval(() => this.sync(), 10_000);
    this.#timer.unref();
  }

  /** `minik drains:add URL`. */
  add(app: string, url: string): Drain {
    this.store.requireApp(app);
    const drain = this.store.features.addDrain(app, validateDrainUrl(url));
    this.sync();
    return drain;
  }

  /** `minik drains:remove URL`. */
  remove(app: string, url: string): void {
    this.store.requireApp(app);
    this.store.features.removeDrain(app, url);
    this.sync();
  }

  /** `minik drains`. */
  list(app: string): Drain[] {
    this.store.requireApp(app);
    return this.store.features.listDrains(app);
  }

  /** Makes shippers and followers match the table. */
  sync(): void {
    const drains = this.store.features.listDrains();
    const key = (d: Drain) => `${d.app}\0${d.url}`;
    const wanted = new Map(drains.map((d) => [key(d), d]));
    for (const [k, s] of this.#shippers) if (!wanted.has(k)) { s.close(); this.#shippers.delete(k); }
    for (const [k, d] of wanted) if (!this.#shippers.has(k)) this.#shippers.set(k, createShipper(d, this.opts));
    const apps = new Set(drains.map((d) => d.app));
    for (const [app, stop] of this.#follows) if (!apps.has(app)) { stop(); this.#follows.delete(app); }
    for (const app of apps) {
      if (this.#follows.has(app)) continue;
      this.#follows.set(app, this.logs.follow(app, {}, (line) => {
        for (const s of this.#shippers.values()) if (s.drain.app === app) s.push(line);
      }));
    }
  }

  /** Stops every follower and shipper. */
  close(): void {
    if (this.#timer) clearInterval(this.#timer);
    for (const stop of this.#follows.values()) stop();
    for (const s of this.#shippers.values()) s.close();
    this.#follows.clear();
    this.#shippers.clear();
  }
}
