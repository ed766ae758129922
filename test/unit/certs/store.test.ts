import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CertStore, isCertHost, sniCallback, trustSteps } from '../../../src/certs/index.js';

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

  it('trust steps name the CA path and the exact commands', () => {
    const steps = trustSteps('/h/certs/ca.crt', 7443);
    const all = steps.flatMap((s) => s.commands);
    expect(all).toContain('sudo cp /h/certs/ca.crt /usr/local/share/ca-certificates/minik.crt');
    expect(all).toContain('sudo update-ca-certificates');
    expect(all).toContain('certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n minik -i /h/certs/ca.crt');
    expect(all).toContain('curl --cacert /h/certs/ca.crt https://APP.localhost:7443/');
  });
});
