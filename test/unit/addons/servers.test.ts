// Issue 11: the server-side rules that need no server: version refusal, folder permissions, Redis's config and RESP.
import { describe, expect, it } from 'vitest';
import { blockingFolder, canSearch } from '../../../src/addons/osuser.js';
import { backupId } from '../../../src/addons/pg.js';
import { checkVersion } from '../../../src/addons/postgres.js';
import { redisConfig } from '../../../src/addons/redis.js';
import { encodeCommand, parseInfo, parseReplies } from '../../../src/addons/resp.js';
import { MinikError } from '../../../src/core/errors.js';

describe('checkVersion', () => {
  const a = { name: 'postgresql-shop-1', app: 'shop', version: '15' };
  it('starts a data folder made by the same major version', () => {
    expect(() => checkVersion(a, '15', '15')).not.toThrow();
  });
  it('refuses another major version, with the dump-and-restore steps', () => {
    let e: MinikError | undefined;
    try { checkVersion({ ...a, version: '14' }, '14', '15'); } catch (err) { e = err as MinikError; }
    expect(e?.message).toBe('the data folder of postgresql-shop-1 was made by PostgreSQL 14, but this minik runs PostgreSQL 15: minik will not start it');
    expect(e?.hint).toMatch(/pg:backups:capture.*pg:reset --confirm shop.*pg:backups:restore --confirm shop/);
  });
  it('refuses a folder that was never initialised', () => {
    expect(() => checkVersion(a, '', '15')).toThrow(/has no PG_VERSION/);
  });
});

describe('folder permissions for the Postgres OS user', () => {
  it('reads search permission from owner, group and other bits', () => {
    expect(canSearch({ mode: 0o700, uid: 5, gid: 5 }, 5, 9)).toBe(true);
    expect(canSearch({ mode: 0o700, uid: 0, gid: 0 }, 5, 5)).toBe(false);
    expect(canSearch({ mode: 0o710, uid: 0, gid: 5 }, 7, 5)).toBe(true);
    expect(canSearch({ mode: 0o711, uid: 0, gid: 0 }, 7, 7)).toBe(true);
  });
  it('names the first folder in the way', () => {
    const modes: Record<string, number> = { '/': 0o755, '/root': 0o700, '/root/.minik': 0o711, '/root/.minik/addons': 0o711 };
    const stat = (p: string) => ({ mode: modes[p] ?? 0o755, uid: 0, gid: 0 });
    expect(blockingFolder('/root/.minik/addons', 101, 104, stat)).toBe('/root');
    expect(blockingFolder('/tmp/x', 101, 104, stat)).toBeNull();
  });
});

describe('redis', () => {
  it('writes a config bound to 127.0.0.1 with a password and AOF', () => {
    const conf = redisConfig({ port: 15401, password: 'pw' }, '/h/addons/redis-shop-1/data');
    expect(conf).toContain('port 15401\nbind 127.0.0.1\n');
    expect(conf).toContain('requirepass "pw"');
    expect(conf).toContain('appendonly yes');
    expect(conf).toContain('dir "/h/addons/redis-shop-1/data"');
  });
  it('speaks RESP', () => {
    expect(encodeCommand(['AUTH', 'pw'])).toBe('*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n');
    const { replies, used } = parseReplies(Buffer.from('+OK\r\n$5\r\nhello\r\n-ERR bad\r\n$-1\r\n$10\r\nincomp'));
    expect(replies).toEqual(['OK', 'hello', new Error('ERR bad'), null]);
    expect(used).toBe(31); // the incomplete bulk string waits for more bytes
    expect(parseInfo('# Server\r\nredis_version:7.0.15\r\ndb0:keys=1,expires=0\r\n')).toEqual({ redis_version: '7.0.15', db0: 'keys=1,expires=0' });
  });
});

it('numbers backups b001, b002 …', () => {
  expect(backupId(1)).toBe('b001');
  expect(backupId(42)).toBe('b042');
  expect(backupId(1234)).toBe('b1234');
});
