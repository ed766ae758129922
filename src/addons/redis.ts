// Why: Redis add-ons run Debian's redis-server with AOF persistence, bound to 127.0.0.1 with a password. The
// settings go in a 0600 config file rather than argv, so the password never shows in `ps`.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddonRecord } from '../core/addons.js';
import type { Driver, ServerCommand } from './driver.js';
import type { Addons } from './manager.js';
import { signal } from './proc.js';
import { parseInfo, redisCommand } from './resp.js';
import { requireTool } from './tools.js';

/** The redis.conf of an add-on: `--port N --bind 127.0.0.1 --dir D --requirepass P --appendonly yes`, as a file. */
export function redisConfig(a: Pick<AddonRecord, 'port' | 'password'>, data: string): string {
  return [
    `port ${a.port}`, 'bind 127.0.0.1', 'protected-mode yes', `dir "${data}"`, `requirepass "${a.password}"`,
    'appendonly yes', `pidfile "${join(data, 'redis.pid')}"`, 'daemonize no', 'logfile ""', '',
  ].join('\n');
}

/** The Redis driver. */
export const redisDriver: Driver = {
  process: 'redis',

  async provision() {
    requireTool('redis-server');
    return { version: null };
  },

  async command(a, dir): Promise<ServerCommand> {
    const file = requireTool('redis-server');
    const data = join(dir, 'data');
    await mkdir(data, { recursive: true, mode: 0o700 });
    const conf = join(data, 'redis.conf');
    await writeFile(conf, redisConfig(a, data), { mode: 0o600 });
    await chmod(conf, 0o600);
    return { file, args: [conf], cwd: data };
  },

  pidFile: (dir) => join(dir, 'data', 'redis.pid'),

  async isReady(a) {
    return (await redisCommand(a.port, a.password, ['PING'], 1000).catch(() => null)) === 'PONG';
  },

  async askStop(a, _dir, pid) {
    await redisCommand(a.port, a.password, ['SHUTDOWN', 'SAVE']).catch(() => signal(pid, 'SIGTERM'));
  },
};

/** What redis:cli needs, once the server answers PING: the port, the password (for REDISCLI_AUTH) and redis-cli's path. */
export async function redisConnection(addons: Addons, app: string, ref: string): Promise<{ host: string; port: number; password: string; redisCli: string }> {
  const a = addons.resolve(app, ref, 'heroku-redis');
  await addons.whenReady(a);
  return { host: '127.0.0.1', port: a.port, password: a.password, redisCli: requireTool('redis-cli') };
}

/** redis:info's figures, from the server's INFO. */
export async function redisInfo(addons: Addons, app: string, ref: string): Promise<Record<string, string>> {
  const a = addons.resolve(app, ref, 'heroku-redis');
  await addons.whenReady(a);
  const info = parseInfo((await redisCommand(a.port, a.password, ['INFO'])) ?? '');
  const keys = /keys=([0-9]+)/.exec(info.db0 ?? '')?.[1] ?? '0';
  return {
    addon: a.name, version: info.redis_version ?? '', clients: info.connected_clients ?? '', memory: info.used_memory_human ?? '',
    keys, persistence: info.aof_enabled === '1' ? 'AOF' : 'RDB', uptime: info.uptime_in_seconds ?? '',
  };
}
