// Why: the newer capabilities the daemon wires beside Platform (metrics, drains, autoscaling, dashboard).
import type { Autoscaler } from '../autoscale/index.js';
import type { DrainManager } from '../drains/index.js';
import type { Metrics } from '../metrics/index.js';

/** What the API's capability routes call; each is the one owner of its rules. */
export interface Capabilities {
  metrics: Metrics;
  drains: DrainManager;
  autoscaler: Autoscaler;
  /** Mints a one-time dashboard login URL. */
  dashboardLogin(): string;
}
