// Why: the shapes of stored metrics, shared by the store (which writes them), the collector, autoscaling,
// the API and the dashboard.

/** One app's router figures over one bucket (1 or 10 minutes) starting at `at` (epoch ms). */
export interface AppMetrics {
  app: string;
  /** Bucket length in minutes: 1 or 10. */
  res: 1 | 10;
  at: number;
  requests: number;
  c2xx: number;
  c3xx: number;
  c4xx: number;
  c5xx: number;
  /** Router error codes seen (H10, H12, …) → count. */
  errors: Record<string, number>;
  /** Service time in ms (WebSocket upgrades excluded); null when no request was timed. */
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  bytes: number;
}

/** One dyno's figures over one bucket: peak RSS (bytes), mean CPU % of one core, restarts and state changes. */
export interface DynoMetrics {
  app: string;
  dyno: string;
  res: 1 | 10;
  at: number;
  rss: number;
  cpu: number;
  restarts: number;
  stateChanges: number;
}

/** Autoscaling settings of one process type (web only, as on Heroku). */
export interface AutoscaleSettings {
  app: string;
  type: string;
  min: number;
  max: number;
  /** Desired p95 response time in ms. */
  p95: number;
}

/** A log drain: where an app's log lines are shipped. */
export interface Drain {
  app: string;
  url: string;
  token: string;
  createdAt: string;
}

/** Labs features minik knows. */
export const LABS_FEATURES = ['log-runtime-metrics'] as const;
export type LabsFeature = (typeof LABS_FEATURES)[number];
