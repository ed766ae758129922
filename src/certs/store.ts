// Why: the CA and the per-host certificates live under $MINIK_HOME/certs, owner-only (folder 0700, files 0600):
// the CA's key signs for any name a browser that trusts the CA will believe, so it never leaves this folder.
// Leaf certificates are issued on first use per host, kept on disk across restarts, and cached in memory.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { createSecureContext, type SecureContext } from 'node:tls';
import { MinikError } from '../core/errors.js';
import { createCa, issueLeaf, type KeyCert } from './issue.js';

/** A leaf is issued again when it expires within this window (and when the CA changed). */
const RENEW_MS = 30 * 86_400_000;
/** A DNS name as the route table keeps them: lower case, dot-separated labels, no wildcard, no port. */
const DNS_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** Why: `ca.crt` is what users import; `ca.key` never leaves the folder; `hosts/` holds one PEM (key + cert) per host. */
export function certPaths(home: string): { dir: string; caCert: string; caKey: string; hosts: string } {
  const dir = join(home, 'certs');
  return { dir, caCert: join(dir, 'ca.crt'), caKey: join(dir, 'ca.key'), hosts: join(dir, 'hosts') };
}

/** True when `host` is a plain DNS name a leaf certificate may be issued for (and a safe file name). */
export function isCertHost(host: string): boolean {
  return DNS_NAME.test(host);
}

/** True when `cert` is still good at `now` for RENEW_MS more, names `host`, and was signed by `ca`. */
export function leafUsable(cert: X509Certificate, ca: X509Certificate, host: string, now: Date): boolean {
  return new Date(cert.validTo).getTime() - now.getTime() > RENEW_MS && new Date(cert.validFrom) <= now &&
    cert.checkHost(host) !== undefined && cert.checkIssued(ca) && cert.verify(ca.publicKey);
}

/** The files a server reads its certificate and key from. */
export interface CertFiles { cert: string; key: string }

/** What a server minik runs needs from the CA: its certificate files made or kept (a Postgres add-on's). */
export interface ServerCerts {
  serverCert(hosts: readonly string[], files: CertFiles): Promise<{ issued: boolean }>;
}

/**
 * True when `pair` can serve `hosts` (DNS names, at least one, and IP addresses) at `now`: `leafUsable` for each DNS name, every IP
 * address in it, and the key the certificate's. Damaged PEM is false.
 */
export function pairUsable(pair: KeyCert, caPem: string, hosts: readonly string[], now: Date): boolean {
  try {
    const cert = new X509Certificate(pair.certPem);
    const ca = new X509Certificate(caPem);
    return hosts.every((h) => (isIP(h) ? cert.checkIP(h) !== undefined : leafUsable(cert, ca, h, now))) &&
      cert.checkPrivateKey(createPrivateKey(pair.keyPem));
  } catch {
    return false;
  }
}

/** Why: one object owns the CA and the leaf cache, so concurrent handshakes for one host issue one certificate. */
export class CertStore {
  readonly paths: ReturnType<typeof certPaths>;
  private ca: Promise<KeyCert> | null = null;
  private readonly contexts = new Map<string, Promise<SecureContext>>();

  constructor(home: string, private readonly now: () => Date = () => new Date()) {
    this.paths = certPaths(home);
  }

  /** The CA, read from disk or created there on first use. */
  authority(): Promise<KeyCert> {
    this.ca ??= this.loadOrCreateCa().catch((err: unknown) => {
      this.ca = null; // a later call tries again (e.g. after the user fixed the folder's permissions)
      throw err;
    });
    return this.ca;
  }

  /** The TLS context serving `host`: a cached one, the one on disk, or a newly issued certificate. */
  context(host: string): Promise<SecureContext> {
    if (!isCertHost(host)) return Promise.reject(new MinikError(`'${host}' is not a host name minik issues certificates for`, { code: 'invalid' }));
    let p = this.contexts.get(host);
    if (!p) {
      p = this.loadOrIssue(host).then((kc) => createSecureContext({ cert: kc.certPem, key: kc.keyPem }));
      p.catch(() => this.contexts.delete(host));
      this.contexts.set(host, p);
    }
    return p;
  }

  /**
   * Makes sure `files` hold a certificate and key for `hosts` (DNS names and IP addresses; the first DNS name is its
   * subject) from this CA: kept while usable (`pairUsable`), else issued anew, each file 0600 and replaced whole,
   * key first; a crash between the two leaves a key that is not the certificate's, and the next call issues a new pair.
   * For a server that reads its own files (a Postgres add-on); their owner and mode later are the caller's business.
   */
  async serverCert(hosts: readonly string[], files: CertFiles): Promise<{ issued: boolean }> {
    const [host, ...alt] = [...hosts.filter((h) => isIP(h) === 0), ...hosts.filter((h) => isIP(h) !== 0)];
    if (host === undefined || isIP(host) !== 0 || !isCertHost(host)) {
      throw new MinikError(`a server certificate needs a DNS name minik issues certificates for first, not [${hosts.join(', ')}]`, { code: 'invalid' });
    }
    const ca = await this.authority();
    const now = this.now();
    const existing = readPair(files.cert, files.key);
    if (existing && pairUsable(existing, ca.certPem, hosts, now)) return { issued: false };
    const leaf = await issueLeaf(ca, host, now, alt);
    writePrivate(files.key, leaf.keyPem);
    writePrivate(files.cert, leaf.certPem);
    return { issued: true };
  }

  private async loadOrCreateCa(): Promise<KeyCert> {
    const { dir, caCert, caKey } = this.paths;
    const existing = readPair(caCert, caKey);
    if (existing) return existing;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const ca = await createCa(this.now());
    writePrivate(caKey, ca.keyPem); // key first: a cert without its key would be read as "no CA" next time
    writePrivate(caCert, ca.certPem);
    return ca;
  }

  private async loadOrIssue(host: string): Promise<KeyCert> {
    const ca = await this.authority();
    const file = join(this.paths.hosts, `${host}.pem`);
    const existing = readLeaf(file);
    const now = this.now();
    if (existing && leafUsable(new X509Certificate(existing.certPem), new X509Certificate(ca.certPem), host, now)) return existing;
    const leaf = await issueLeaf(ca, host, now);
    mkdirSync(this.paths.hosts, { recursive: true, mode: 0o700 });
    writePrivate(file, leaf.keyPem + leaf.certPem);
    return leaf;
  }
}

/** Writes `text` with mode 0600 through a temporary file, so a crash never leaves half a key. */
function writePrivate(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
}

function readPair(certFile: string, keyFile: string): KeyCert | null {
  try {
    return { certPem: readFileSync(certFile, 'utf8'), keyPem: readFileSync(keyFile, 'utf8') };
  } catch {
    return null;
  }
}

/** A host file holds the key then the certificate; anything unreadable counts as missing (it is issued anew). */
function readLeaf(file: string): KeyCert | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const cert = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\s*/.exec(text)?.[0];
  const key = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----\s*/.exec(text)?.[0];
  if (!cert || !key) return null;
  try {
    new X509Certificate(cert); // throws on a damaged file
  } catch {
    return null;
  }
  return { certPem: cert, keyPem: key };
}
