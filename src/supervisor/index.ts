// Why: the supervisor's public surface, as docs/CONTRACTS.md lists it; other modules import only this.
export { Dyno } from './dyno.js';
export { reapOrphans } from './kill.js';
export { LogHub, type LogFilter } from './logs.js';
export type { ExitInfo } from './process.js';
export { processStartTime } from './procfs.js';
export { Supervisor, freePort, type SupervisorOptions } from './supervisor.js';
export { DEFAULT_BACKOFF, type BackoffOptions, type DynoSpec, type DynoUsage } from './types.js';
// Shared with src/addons, whose servers are supervised the same way (issue 11).
export { Backoff } from './backoff.js';
export { groupMembers, isAlive } from './procfs.js';
