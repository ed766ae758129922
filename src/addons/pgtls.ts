// Why: Heroku Postgres always offers SSL and apps written for it require it (`sslmode=require`, dj-database-url's
// ssl_require, node-postgres's `ssl: { rejectUnauthorized: false }`), so every Postgres add-on serves TLS. Its
// certificate comes from minik's local CA (the one behind HTTPS) for localhost and 127.0.0.1, so `sslmode=verify-full`
// with `$MINIK_HOME/certs/ca.crt` works as well; a self-signed one would serve `require` alone just the same, but
// would give clients nothing to verify. Clients that do not ask for SSL still connect in the clear: initdb's
// pg_hba.conf `host` lines match both.
import { chmod, chown } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServerCerts } from '../certs/index.js';
import { errorMessage, MinikError } from '../core/errors.js';
import type { RunAs } from './osuser.js';

/** The names an add-on's certificate is for: the address every add-on listens on (its DATABASE_URL's), and localhost, which some clients say. */
export const PG_CERT_HOSTS: readonly string[] = ['localhost', '127.0.0.1'];

/** An add-on's certificate and key: in its own folder beside data/, so they outlive `pg:reset`. */
export function tlsPaths(dir: string): { cert: string; key: string } {
  return { cert: join(dir, 'server.crt'), key: join(dir, 'server.key') };
}

/** The `postgres` options that serve SSL from those files: paths only, no secret in argv. */
export function tlsArgs(paths: { cert: string; key: string }): string[] {
  return ['-c', 'ssl=on', '-c', `ssl_cert_file=${paths.cert}`, '-c', `ssl_key_file=${paths.key}`];
}

/**
 * The SSL options a Postgres add-on starts with: its certificate's, or — when the certificate cannot be made (CA
 * unreadable, disk full, a signing error) — `ssl=off` and the one line that says so and why.
 * Why not refuse to start: an app that requires SSL then gets its own driver's clear error (the server does not
 * support SSL), every other client and minik's pg: commands keep working; no database at all helps nobody.
 */
export async function serverTls(name: string, dir: string, runAs: RunAs | null, certs: ServerCerts): Promise<{ args: string[]; note: string | null }> {
  try {
    return { args: tlsArgs(await ensureServerCert(name, dir, runAs, certs)), note: null };
  } catch (err) {
    return {
      args: ['-c', 'ssl=off'],
      note: `SSL is off for ${name}, so apps that require it (sslmode=require) cannot connect: ${errorMessage(err)}; ` +
        `it serves SSL again from its next start once that is fixed (see 'minik certs'; 'minik daemon stop', then any command)`,
    };
  }
}

/**
 * Makes sure `dir` holds a usable certificate and key before the server starts (the CA's store issues them: at an
 * add-on's first start, also one provisioned before minik served SSL, and again when the CA changed or expiry is near).
 * Both files are 0600 and belong to the server's user (`runAs`, else the daemon's): Postgres refuses a key others can read.
 */
export async function ensureServerCert(name: string, dir: string, runAs: RunAs | null, certs: ServerCerts): Promise<{ cert: string; key: string }> {
  const paths = tlsPaths(dir);
  try {
    await certs.serverCert(PG_CERT_HOSTS, paths);
    for (const file of [paths.key, paths.cert]) await own(file, runAs);
  } catch (err) {
    throw new MinikError(`could not prepare the SSL certificate of ${name} in ${dir}: ${errorMessage(err)}`, {
      hint: `the daemon's user must be able to write ${dir} and its CA folder (see 'minik certs')`,
    });
  }
  return paths;
}

/** 0600 and, as root, the server's user: also for files a non-root daemon made before (or a copied folder). */
async function own(file: string, runAs: RunAs | null): Promise<void> {
  await chmod(file, 0o600);
  if (runAs) await chown(file, runAs.uid, runAs.gid);
}
