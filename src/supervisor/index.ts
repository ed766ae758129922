// Why: the supervisor's public surface, as docs/CONTRACTS.md lists it; other modules import only this.
export { Dyno } from './dyno.js';
export { terminateGroup, type KillTarget } from './kill.js';
export { bootId, homeId, newMarker, OWNER_VAR, parseMarker, type AppFilter, type OwnerKind } from './owner.js';
export { dynoPortRange, PortAllocator, type PortRange } from './ports.js';
export { reapOrphans, reapOwned, type OrphanRecord, type Reaped } from './reap.js';
export { LogHub, type LogFilter } from './logs.js';
export { LOG_QUEUE_LIMITS, LogQueue, overflowLine, type LogQueueLimits } from './log-queue.js';
export { wrapCommand, type ExitInfo } from './process.js';
export { processStartTime } from './procfs.js';
export { Supervisor, type SupervisorOptions } from './supervisor.js';
export { DEFAULT_BACKOFF, type BackoffOptions, type DynoSpec, type DynoUsage } from './types.js';
// Shared with src/addons, whose servers are supervised the same way (issue 11).
export { Backoff } from './backoff.js';
export { groupMembers, isAlive } from './procfs.js';
