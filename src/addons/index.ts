// Why: the add-ons capability's public surface (issue 11); the daemon wires it, the API calls it.
export { Addons, type AddonSettings } from './manager.js';
export { appBackupFile, appBackups, captureBackup, pgConnection, pgInfo, resetDatabase, restoreBackup, type PgConnection } from './pg.js';
export { redisConnection, redisInfo } from './redis.js';
export { parsePortRange } from './services.js';
