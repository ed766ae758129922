// Why: the data the dashboard's server sends its pages (initial HTML, SSE `state` events, the metrics API).
import type { AddonView } from '../../core/addons.js';
import type { AppView, DynoView, ReleaseView } from '../../core/api.js';
import type { AppMetrics, AutoscaleSettings, DynoMetrics } from '../../core/metrics.js';

/** A row of the apps page. */
export interface AppRow extends AppView {
  formation: Record<string, number>;
  lastDeploy: string | null;
}

/** Everything the app page shows except logs, config values and metrics. */
export interface AppState {
  app: AppRow;
  processTypes: string[];
  dynos: DynoView[];
  releases: ReleaseView[];
  configKeys: string[];
  autoscale: AutoscaleSettings[];
  /** The add-ons attached to the app (Postgres, Redis): state and attachment names. */
  addons: AddonView[];
}

/** `GET /api/apps/:app/metrics`. */
export interface MetricsData {
  res: 1 | 10;
  from: number;
  to: number;
  apps: AppMetrics[];
  dynos: DynoMetrics[];
}

/** A log line as the SSE `log` event carries it. */
export interface LogEvent {
  time: string;
  source: 'app' | 'minik';
  process: string;
  message: string;
}
