// Why: the X.509 side of minik's local certificate authority, as functions of keys, names and a clock, so the
// tests check validity, SANs and key usage without files. Node's crypto makes the RSA keys (native and fast) but
// cannot sign certificates, so node-forge builds and signs them; nothing here shells out to openssl.
import { generateKeyPair, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { promisify } from 'node:util';
import forge from 'node-forge';

const { pki, md } = forge;
const genKeyPair = promisify(generateKeyPair);

/** A certificate and its private key, both PEM. */
export interface KeyCert { certPem: string; keyPem: string }

/** The CA's subject: one name users recognise in a browser's certificate viewer and in `minik certs`. */
export const CA_COMMON_NAME = 'minik local development CA';
/** The CA is good for 10 years; it signs nothing but leaf certificates for the hosts minik routes. */
export const CA_DAYS = 3650;
/** Leaf certificates: one year, under the 398 days browsers accept, and renewed well before (store.ts). */
export const LEAF_DAYS = 365;
const DAY_MS = 86_400_000;

/** A fresh 2048-bit RSA key pair as PEM (PKCS#8 private key). */
export async function newKeyPem(): Promise<{ privatePem: string; publicPem: string }> {
  const { privateKey, publicKey } = await genKeyPair('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privatePem: privateKey, publicPem: publicKey };
}

/** Why: a positive random 128-bit serial, so two certificates for one host never share a serial (RFC 5280 §4.1.2.2). */
function serial(): string {
  const b = randomBytes(16);
  b[0] = b[0]! & 0x7f | 0x10;
  return b.toString('hex');
}

/** A self-signed CA certificate valid from a minute before `now` (clock skew) for CA_DAYS. */
export async function createCa(now: Date, owner = ''): Promise<KeyCert> {
  const keys = await newKeyPem();
  const cert = pki.createCertificate();
  cert.publicKey = pki.publicKeyFromPem(keys.publicPem);
  cert.serialNumber = serial();
  setValidity(cert, now, CA_DAYS);
  const name = [{ name: 'commonName', value: owner ? `${CA_COMMON_NAME} (${owner})` : CA_COMMON_NAME }, { name: 'organizationName', value: 'minik' }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    // pathLen 0: the CA signs leaves only, never another CA.
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(pki.privateKeyFromPem(keys.privatePem), md.sha256.create());
  return { certPem: pki.certificateToPem(cert), keyPem: keys.privatePem };
}

/**
 * A server certificate for `host` (a DNS name, no wildcard) and the further names `alt`: IP addresses (a Postgres
 * add-on's 127.0.0.1, which clients' `verify-full` compares with) or DNS names, signed by `ca`, valid LEAF_DAYS from a
 * minute before `now`.
 */
export async function issueLeaf(ca: KeyCert, host: string, now: Date, alt: readonly string[] = []): Promise<KeyCert> {
  const keys = await newKeyPem();
  const caCert = pki.certificateFromPem(ca.certPem);
  const cert = pki.createCertificate();
  cert.publicKey = pki.publicKeyFromPem(keys.publicPem);
  cert.serialNumber = serial();
  setValidity(cert, now, LEAF_DAYS);
  cert.setSubject([{ name: 'commonName', value: host }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [host, ...alt].map((n) => (isIP(n) ? { type: 7 /* iPAddress */, ip: n } : { type: 2 /* dNSName */, value: n })) },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(pki.privateKeyFromPem(ca.keyPem), md.sha256.create());
  return { certPem: pki.certificateToPem(cert), keyPem: keys.privatePem };
}

function setValidity(cert: forge.pki.Certificate, now: Date, days: number): void {
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime() + days * DAY_MS);
}
