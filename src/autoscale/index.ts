// Why: the autoscaling capability's public surface.
export { Autoscaler, DEFAULT_INTERVAL_MS } from './autoscaler.js';
export { CALM_TICKS, decide, isCalm, stepLine, type Decision, type Observation, type ScaleState } from './decide.js';
