import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CertStore, createCa, isCertHost, issueLeaf, pairUsable, sniCallback, trustSteps } from '../../../src/certs/index.js';

const homes: string[] = [];
afterEach(() => { while (homes.length) rmSync(homes.pop()!, { recursive: true, force: true }); });
function home(): string {
  const h = mkdtempSync(join(tmpdir(), 'minik-certs-'));
  homes.push(h);
  return h;
}
const mode = (f: string) => statSync(f).mode & 0o777;

describe('certs: the store under MINIK_HOME', () => {
  it('creates the CA once, owner-only, and reads it back after a restart', async () => {
    const h = home();
    const s = new CertStore(h);
    const ca = await s.authority();
    expect(mode(s.paths.dir)).toBe(0o700);
    expect(mode(s.paths.caKey)).toBe(0o600);
    expect(mode(s.paths.caCert)).toBe(0o600);
    expect(readFileSync(s.paths.caCert, 'utf8')).toBe(ca.certPem);
    expect((await new CertStore(h).authority()).certPem).toBe(ca.certPem);
  });

  it('issues a leaf per host once, keeps it 0600 on disk, and reuses it across restarts', async () => {
    const h = home();
    const s = new CertStore(h);
    await Promise.all([s.context('shop.localhost'), s.context('shop.localhost')]);
    const file = join(s.paths.hosts, 'shop.localhost.pem');
    expect(mode(file)).toBe(0o600);
    expect(readdirSync(s.paths.hosts)).toEqual(['shop.localhost.pem']);
    const first = readFileSync(file, 'utf8');
    await new CertStore(h).context('shop.localhost');
    expect(readFileSync(file, 'utf8')).toBe(first);
  });

  it('issues anew when the leaf is about to expire or was signed by another CA', async () => {
    const h = home();
    await new CertStore(h).context('shop.localhost');
    const file = join(h, 'certs/hosts/shop.localhost.pem');
    const first = readFileSync(file, 'utf8');
    const later = new CertStore(h, () => new Date(Date.now() + 340 * 86_400_000));
    await later.context('shop.localhost');
    const renewed = readFileSync(file, 'utf8');
    expect(renewed).not.toBe(first);
    // A new CA (the user deleted the old one): the leaf on disk no longer chains, so it is replaced.
    rmSync(join(h, 'certs/ca.key'));
    rmSync(join(h, 'certs/ca.crt'));
    const fresh = new CertStore(h);
    await fresh.context('shop.localhost');
    const leaf = new X509Certificate(readFileSync(file, 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/)![0]);
    expect(leaf.checkIssued(new X509Certificate((await fresh.authority()).certPem))).toBe(true);
  });

  it('treats a damaged host file as missing', async () => {
    const h = home();
    const s = new CertStore(h);
    await s.context('shop.localhost');
    writeFileSync(join(s.paths.hosts, 'shop.localhost.pem'), 'garbage', { mode: 0o600 });
    await new CertStore(h).context('shop.localhost');
    expect(readFileSync(join(s.paths.hosts, 'shop.localhost.pem'), 'utf8')).toContain('BEGIN CERTIFICATE');
  });

  it('refuses names that are not plain DNS names (no wildcard, no path, no port)', async () => {
    for (const bad of ['*.localhost', '../x', 'a/b', 'shop.localhost:7443', '', '-a.localhost', 'a..b']) expect(isCertHost(bad)).toBe(false);
    expect(isCertHost('api.shop.localhost')).toBe(true);
    await expect(new CertStore(home()).context('../../etc')).rejects.toThrow(/not a host name/);
  });

  it('SNI: serves routed hosts only, and mints nothing for any other name', async () => {
    const h = home();
    const s = new CertStore(h);
    const errors: string[] = [];
    const sni = sniCallback(s, (host) => host === 'shop.localhost', (host) => errors.push(host));
    const ask = (name: string) => new Promise<unknown>((resolve) => sni(name, (err, ctx) => resolve(err ?? ctx)));
    expect(await ask('evil.example')).toBeInstanceOf(Error);
    expect(readdirSync(h)).toEqual([]); // not even the CA
    expect(await ask('Shop.Localhost.')).not.toBeInstanceOf(Error);
    expect(readdirSync(s.paths.hosts)).toEqual(['shop.localhost.pem']);
    expect(await ask('localhost')).not.toBeInstanceOf(Error); // the one fixed name, for tools that cannot resolve *.localhost
    expect(readdirSync(s.paths.hosts).sort()).toEqual(['localhost.pem', 'shop.localhost.pem']);
    expect(errors).toEqual([]);
  });

  it('serverCert: writes a key and certificate for DNS names and IP addresses, 0600, and keeps them while usable', async () => {
    const h = home();
    let now = new Date();
    const s = new CertStore(h, () => now);
    const files = { cert: join(h, 'server.crt'), key: join(h, 'server.key') };
    expect(await s.serverCert(['localhost', '127.0.0.1'], files)).toEqual({ issued: true });
    expect([mode(files.key), mode(files.cert)]).toEqual([0o600, 0o600]);
    const pem = readFileSync(files.cert, 'utf8');
    const cert = new X509Certificate(pem);
    expect(cert.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1');
    expect(cert.checkIssued(new X509Certificate((await s.authority()).certPem))).toBe(true);
    expect(pairUsable({ certPem: pem, keyPem: readFileSync(files.key, 'utf8') }, (await s.authority()).certPem, ['localhost', '127.0.0.1'], now)).toBe(true);
    expect(await s.serverCert(['127.0.0.1', 'localhost'], files)).toEqual({ issued: false });
    now = new Date(now.getTime() + 300 * 86_400_000);
    expect(await s.serverCert(['localhost', '127.0.0.1'], files)).toEqual({ issued: false });
    expect(readFileSync(files.cert, 'utf8')).toBe(pem);
    await expect(s.serverCert(['127.0.0.1'], files)).rejects.toThrow(/needs a DNS name/);
    await expect(s.serverCert(['*.localhost'], files)).rejects.toThrow(/needs a DNS name/);
  });

  it('serverCert: issues anew near expiry, for a new CA, for a key not its own, for another name list, and for missing files', async () => {
    const h = home();
    let now = new Date();
    const files = { cert: join(h, 'server.crt'), key: join(h, 'server.key') };
    const hosts = ['localhost', '127.0.0.1'];
    let s = new CertStore(h, () => now);
    await s.serverCert(hosts, files);
    const seen = [readFileSync(files.cert, 'utf8')];
    const issues = async (list = hosts) => {
      expect(await s.serverCert(list, files)).toEqual({ issued: true });
      const pem = readFileSync(files.cert, 'utf8');
      expect(seen).not.toContain(pem);
      seen.push(pem);
      expect(pairUsable({ certPem: pem, keyPem: readFileSync(files.key, 'utf8') }, (await s.authority()).certPem, list, now)).toBe(true);
    };
    now = new Date(now.getTime() + 340 * 86_400_000); // within 30 days of the 365-day expiry
    await issues();
    now = new Date();
    rmSync(s.paths.dir, { recursive: true }); // $MINIK_HOME/certs deleted: a new CA
    s = new CertStore(h, () => now);
    await issues();
    writeFileSync(files.key, (await issueLeaf(await s.authority(), 'localhost', now)).keyPem); // a crash between the two writes
    await issues();
    await issues(['localhost', '127.0.0.1', '::1']);
    rmSync(files.cert);
    await issues(); // an add-on provisioned before minik served SSL
  });

  it('pairUsable: refuses a certificate without every IP address, and damaged PEM', async () => {
    const ca = await createCa(new Date());
    const dnsOnly = await issueLeaf(ca, 'localhost', new Date());
    expect(pairUsable(dnsOnly, ca.certPem, ['localhost', '127.0.0.1'], new Date())).toBe(false);
    expect(pairUsable({ certPem: 'junk', keyPem: dnsOnly.keyPem }, ca.certPem, ['localhost'], new Date())).toBe(false);
    expect(pairUsable(await issueLeaf(ca, 'localhost', new Date(), ['127.0.0.1']), ca.certPem, ['localhost', '127.0.0.1'], new Date())).toBe(true);
  });

  it('trust steps name the CA path and the exact commands', () => {
    const steps = trustSteps('/h/certs/ca.crt', 7443);
    const all = steps.flatMap((s) => s.commands);
    expect(all).toContain('sudo cp /h/certs/ca.crt /usr/local/share/ca-certificates/minik.crt');
    expect(all).toContain('sudo update-ca-certificates');
    expect(all).toContain('certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n minik -i /h/certs/ca.crt');
    expect(all).toContain('curl --cacert /h/certs/ca.crt https://APP.localhost:7443/');
  });
});
