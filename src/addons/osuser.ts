// Why: PostgreSQL refuses to run as root. A root daemon runs it as the unprivileged OS user `minik-pg` (created on
// first use), which owns the data directory and must be able to reach it and the binaries.
import { statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { execa } from 'execa';
import { MinikError } from '../core/errors.js';
import { requireTool } from './tools.js';

/** The OS user minik runs Postgres as when the daemon is root. Its own user, not Debian's `postgres`, which
 * may reach a system cluster as superuser through peer authentication. */
export const PG_OS_USER = 'minik-pg';

/** Who a server process runs as: uid/gid to pass to spawn, or null to run as the daemon's own user. */
export interface RunAs { uid: number; gid: number; name: string }

/** When root: `minik-pg` (created if missing); otherwise null (the daemon's user is fine). */
export async function postgresRunAs(): Promise<RunAs | null> {
  if (process.getuid?.() !== 0) return null;
  let ids = await lookup(PG_OS_USER);
  if (!ids) {
    const useradd = requireTool('useradd');
    await execa(useradd, ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', PG_OS_USER]);
    ids = await lookup(PG_OS_USER);
    if (!ids) throw new MinikError(`could not create the OS user ${PG_OS_USER} for Postgres`, { hint: `create it by hand: useradd --system --user-group ${PG_OS_USER}` });
  }
  return { ...ids, name: PG_OS_USER };
}

async function lookup(name: string): Promise<{ uid: number; gid: number } | null> {
  const u = await execa('id', ['-u', name], { reject: false });
  const g = await execa('id', ['-g', name], { reject: false });
  if (u.exitCode !== 0 || g.exitCode !== 0) return null;
  return { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) };
}

/** Whether a user may search (x) a directory, from its mode bits. */
export function canSearch(st: Pick<Stats, 'mode' | 'uid' | 'gid'>, uid: number, gid: number): boolean {
  if (uid === 0) return true;
  if (st.uid === uid) return (st.mode & 0o100) !== 0;
  if (st.gid === gid) return (st.mode & 0o010) !== 0;
  return (st.mode & 0o001) !== 0;
}

/** The first folder on the way to `path` (from /) the user cannot pass through, or null when all can be. */
export function blockingFolder(path: string, uid: number, gid: number, stat: (p: string) => Pick<Stats, 'mode' | 'uid' | 'gid'> = statSync): string | null {
  const chain: string[] = [];
  for (let p = resolve(path); ; p = dirname(p)) {
    chain.unshift(p);
    if (p === dirname(p)) break;
  }
  for (const dir of chain) if (!canSearch(stat(dir), uid, gid)) return dir;
  return null;
}

/** Throws one sentence when `runAs` cannot reach `path` (the data folder or the binaries). */
export function checkReachable(path: string, runAs: RunAs, what: string): void {
  const dir = blockingFolder(path, runAs.uid, runAs.gid);
  if (!dir) return;
  const mode = (statSync(dir).mode & 0o777).toString(8).padStart(4, '0');
  throw new MinikError(`Postgres runs as the OS user ${runAs.name}, which cannot reach ${what} ${path}: ${dir} has mode ${mode}`, {
    hint: `let other users pass through it (chmod o+x ${dir}), or move ${what === 'its data folder' ? 'MINIK_HOME' : 'minik'} to a folder outside ${dir}`,
  });
}
