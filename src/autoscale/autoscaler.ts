// Why: the loop around decide(): every interval it reads each autoscaled app's traffic window and formation,
// and scales through Platform.scale (the same path as `minik scale`), cutting no release.
import { invalid } from '../core/errors.js';
import type { AutoscaleSettings } from '../core/metrics.js';
import type { FormationEntry } from '../core/api.js';
import type { Formation } from '../core/types.js';
import type { Platform } from '../deploy/platform.js';
import type { Metrics } from '../metrics/index.js';
import { decide, stepLine, type ScaleState } from './decide.js';

/** Heroku evaluates once a minute; MINIK_AUTOSCALE_INTERVAL (ms) shortens it for tests. */
export const DEFAULT_INTERVAL_MS = 60_000;

/** Autoscaling of web dynos for every app that enabled it. */
export class Autoscaler {
  readonly #states = new Map<string, ScaleState>();
  #timer: NodeJS.Timeout | null = null;
  #ticking = false;

  constructor(private readonly platform: Platform, private readonly metrics: Metrics, readonly intervalMs = DEFAULT_INTERVAL_MS) {}

  /** Starts ticking. */
  start(): void {
    this.#timer = setInterval(() => void this.tick(), this.intervalMs);
    this.#timer.unref();
  }

  /** Stops ticking. */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
  }

  /** `ps:autoscale:enable web --min --max [--p95]`: validated, stored, effective at the next tick. */
  enable(s: AutoscaleSettings): AutoscaleSettings {
    const { store } = this.platform.ctx;
    store.requireApp(s.app);
    if (s.type !== 'web') throw invalid(`autoscaling is for web dynos only, not '${s.type}'`, `e.g. minik ps:autoscale:enable web --min 1 --max 5`);
    if (!Number.isInteger(s.min) || s.min < 1 || !Number.isInteger(s.max) || s.max < s.min || s.max > 100) {
      throw invalid(`--min ${s.min} --max ${s.max} is not a range of whole numbers with 1 <= min <= max <= 100`, 'e.g. --min 1 --max 5');
    }
    if (!Number.isInteger(s.p95) || s.p95 < 1) throw invalid(`--p95 ${s.p95} is not a whole number of milliseconds`, 'e.g. --p95 1000');
    store.features.setAutoscale(s);
    this.#states.delete(s.app);
    return s;
  }

  /** `ps:autoscale:disable web`; returns whether it was on. */
  disable(app: string, type = 'web'): boolean {
    this.platform.ctx.store.requireApp(app);
    this.#states.delete(app);
    return this.platform.ctx.store.features.clearAutoscale(app, type);
  }

  /** The app's autoscale settings (empty when off). */
  settings(app: string): AutoscaleSettings[] {
    return this.platform.ctx.store.features.listAutoscale(app);
  }

  /** Why: a manual `scale` of an autoscaled type turns autoscaling off for it, as on Heroku. Returns those types. */
  async scaleManually(app: string, changes: Formation): Promise<{ formation: FormationEntry[]; disabled: string[] }> {
    const formation = await this.platform.scale(app, changes);
    const disabled = this.settings(app).filter((s) => Object.hasOwn(changes, s.type)).map((s) => s.type);
    for (const type of disabled) this.disable(app, type);
    return { formation, disabled };
  }

  /** One evaluation of every autoscaled app (skipped if the previous one still runs). */
  async tick(): Promise<void> {
    if (this.#ticking) return;
    this.#ticking = true;
    try {
      for (const s of this.platform.ctx.store.features.listAutoscale()) await this.#evaluate(s);
    } finally {
      this.#ticking = false;
    }
  }

  async #evaluate(s: AutoscaleSettings): Promise<void> {
    const { store, logs } = this.platform.ctx;
    const window = this.metrics.takeWindow(s.app);
    const quantity = store.getFormation(s.app)[s.type] ?? 0;
    const d = decide(s, { quantity, ...window, busy: this.platform.isBusy(s.app) }, this.#states.get(s.app) ?? { calm: 0 });
    this.#states.set(s.app, d.state);
    if (d.to === null || d.to === quantity) return;
    logs.write(s.app, 'app', 'minik', stepLine(s.type, quantity, d.to, d.reason));
    try {
      await this.platform.scale(s.app, { [s.type]: d.to });
    } catch (err) {
      logs.write(s.app, 'app', 'minik', `Autoscaling ${s.type} failed: ${(err as Error).message}`);
    }
  }
}
