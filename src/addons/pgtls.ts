// Why: Heroku Postgres always offers SSL and apps written for it require it (`sslmode=require`, dj-database-url's
// ssl_require, node-postgres's `ssl: { rejectUnauthorized: false }`), so every Postgres add-on serves TLS. Its
// certificate comes from minik's local CA (the one behind HTTPS) for localhost and 127.0.0.1, so `sslmode=verify-full`
// with `$MINIK_HOME/certs/ca.crt` works as well; a self-signed one would serve `require` alone just the same, but
// would give clients nothing to verify. Clients that do not ask for SSL still connect in the clear: initdb's
// pg_hba.conf `host` lines match both.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { chmod, chown, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { issueLeaf, leafUsable, type KeyCert } from '../certs/index.js';
import { errorMessage, MinikError } from '../core/errors.js';
import type { RunAs } from './osuser.js';

/** The host name an add-on's certificate is for (its DATABASE_URL names 127.0.0.1; some clients say localhost). */
export const PG_CERT_HOST = 'localhost';
/** The addresses it is for: the one every add-on listens on. */
export const PG_CERT_IPS: readonly string[] = ['127.0.0.1'];

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
export async function serverTls(name: string, dir: string, runAs: RunAs | null, ca: () => Promise<KeyCert>, now: Date): Promise<{ args: string[]; note: string | null }> {
  try {
    return { args: tlsArgs(await ensureServerCert(name, dir, runAs, ca, now)), note: null };
  } catch (err) {
    return {
      args: ['-c', 'ssl=off'],
      note: `SSL is off for ${name}, so apps that require it (sslmode=require) cannot connect: ${errorMessage(err)}. ` +
        `it serves SSL again from its next start once that is fixed (see 'minik certs'; 'minik daemon stop', then any command)`,
    };
  }
}

/**
 * True when a certificate and key can serve at `now`: signed by the CA `caPem`, for localhost and 127.0.0.1, not
 * within the renewal window of its expiry (certs/store.ts), and the key is the certificate's. Damaged PEM is false.
 */
export function serverCertUsable(pair: KeyCert, caPem: string, now: Date): boolean {
  try {
    const cert = new X509Certificate(pair.certPem);
    return leafUsable(cert, new X509Certificate(caPem), PG_CERT_HOST, now) &&
      PG_CERT_IPS.every((ip) => cert.checkIP(ip) !== undefined) && cert.checkPrivateKey(createPrivateKey(pair.keyPem));
  } catch {
    return false;
  }
}

/**
 * Makes sure `dir` holds a usable certificate and key before the server starts: issued at an add-on's first start
 * (also one provisioned before minik served SSL), again when the CA changed or expiry is near. Both files are 0600
 * and belong to the server's user (`runAs`, else the daemon's): Postgres refuses a key others can read.
 */
export async function ensureServerCert(name: string, dir: string, runAs: RunAs | null, ca: () => Promise<KeyCert>, now: Date): Promise<{ cert: string; key: string }> {
  const paths = tlsPaths(dir);
  try {
    const authority = await ca();
    const existing = await readPair(paths);
    if (existing && serverCertUsable(existing, authority.certPem, now)) {
      for (const file of [paths.key, paths.cert]) await own(file, runAs);
    } else {
      const leaf = await issueLeaf(authority, PG_CERT_HOST, now, PG_CERT_IPS);
      // Each file is replaced whole; a crash between the two leaves a key that is not the certificate's, and the
      // next start issues a new pair.
      await writePrivate(paths.key, leaf.keyPem, runAs);
      await writePrivate(paths.cert, leaf.certPem, runAs);
    }
  } catch (err) {
    throw new MinikError(`could not prepare the SSL certificate of ${name} in ${dir}: ${errorMessage(err)}`, {
      hint: `the daemon's user must be able to write ${dir} and its CA folder (see 'minik certs')`,
    });
  }
  return paths;
}

async function readPair(paths: { cert: string; key: string }): Promise<KeyCert | null> {
  try {
    return { certPem: await readFile(paths.cert, 'utf8'), keyPem: await readFile(paths.key, 'utf8') };
  } catch {
    return null;
  }
}

async function writePrivate(file: string, text: string, runAs: RunAs | null): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text, { mode: 0o600 });
  await own(tmp, runAs);
  await rename(tmp, file);
}

/** 0600 and, as root, the server's user: also for files a non-root daemon made before (or a copied folder). */
async function own(file: string, runAs: RunAs | null): Promise<void> {
  await chmod(file, 0o600);
  if (runAs) await chown(file, runAs.uid, runAs.gid);
}
