import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CA_COMMON_NAME, createCa, issueLeaf } from '../../../src/certs/index.js';

const NOW = new Date('2026-11-30T06:00:00Z');
const DAY = 86_400_000;

describe('certs: issuance', () => {
  it('creates a CA: self-signed, CA:TRUE, keyCertSign, ten years from a minute before now', async () => {
    const ca = await createCa(NOW);
    const c = new X509Certificate(ca.certPem);
    expect(c.ca).toBe(true);
    expect(c.subject).toContain(`CN=${CA_COMMON_NAME}`);
    expect(c.issuer).toBe(c.subject);
    expect(c.verify(c.publicKey)).toBe(true);
    expect(new Date(c.validFrom).getTime()).toBe(Math.floor((NOW.getTime() - 60_000) / 1000) * 1000);
    expect(Math.round((new Date(c.validTo).getTime() - NOW.getTime()) / DAY)).toBe(3650);
    expect(c.toLegacyObject().ext_key_usage).toBeUndefined();
    // The key on disk matches the certificate.
    expect(createPublicKey(createPrivateKey(ca.keyPem)).export({ type: 'spki', format: 'der' }))
      .toEqual(c.publicKey.export({ type: 'spki', format: 'der' }));
  });

  it('issues a leaf for one host: SAN, serverAuth, not a CA, one year, chains to the CA', async () => {
    const ca = await createCa(NOW);
    const leaf = await issueLeaf(ca, 'shop.localhost', NOW);
    const c = new X509Certificate(leaf.certPem);
    const root = new X509Certificate(ca.certPem);
    expect(c.subjectAltName).toBe('DNS:shop.localhost');
    expect(c.checkHost('shop.localhost')).toBe('shop.localhost');
    expect(c.checkHost('other.localhost')).toBeUndefined();
    expect(c.ca).toBe(false);
    expect(c.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']); // extended key usage: TLS server only
    expect(c.checkIssued(root)).toBe(true);
    expect(c.verify(root.publicKey)).toBe(true);
    expect(Math.round((new Date(c.validTo).getTime() - NOW.getTime()) / DAY)).toBe(365);
    const other = await createCa(NOW);
    expect(c.verify(new X509Certificate(other.certPem).publicKey)).toBe(false);
  });

  it('adds IP address SANs when asked (a Postgres add-on: localhost and 127.0.0.1)', async () => {
    const ca = await createCa(NOW);
    const c = new X509Certificate((await issueLeaf(ca, 'localhost', NOW, ['127.0.0.1'])).certPem);
    expect(c.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1');
    expect(c.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(c.checkIP('127.0.0.2')).toBeUndefined();
    expect(c.checkHost('localhost')).toBe('localhost');
  });

  it('gives each certificate its own positive serial', async () => {
    const ca = await createCa(NOW);
    const [a, b] = await Promise.all([issueLeaf(ca, 'a.localhost', NOW), issueLeaf(ca, 'a.localhost', NOW)]);
    const sa = new X509Certificate(a.certPem).serialNumber;
    expect(sa).not.toBe(new X509Certificate(b.certPem).serialNumber);
    expect(parseInt(sa[0]!, 16)).toBeLessThan(8);
  });
});
