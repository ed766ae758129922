// Why: the metrics capability's public surface: the collector the daemon wires, and its pure helpers.
export { Metrics, type MetricsOptions, type TrafficWindow } from './collector.js';
export { Bucket, percentile, minuteOf, SAMPLE_LIMIT, type RequestSample } from './minute.js';
export { rollupApp, rollupWindow, tenMinutesOf } from './rollup.js';
export { nextLoad, runtimeLines } from './runtime.js';
export { summarize, parseSince } from './summary.js';
