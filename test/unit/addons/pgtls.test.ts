import { X509Certificate } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureServerCert, serverTls, tlsArgs, tlsPaths } from '../../../src/addons/pgtls.js';
import { postgresArgs } from '../../../src/addons/postgres.js';
import { CertStore } from '../../../src/certs/index.js';
import { MinikError } from '../../../src/core/errors.js';

const NOW = new Date('2026-11-30T06:00:00Z');

describe('Postgres add-on SSL: argv', () => {
  it('starts postgres with ssl=on and the files of the add-on folder, and nothing secret', () => {
    const args = postgresArgs('/h/addons/pg-1/data', 15400, tlsArgs(tlsPaths('/h/addons/pg-1')));
    expect(args).toEqual(['-D', '/h/addons/pg-1/data', '-p', '15400', '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=',
      '-c', 'max_connections=100', '-c', 'ssl=on', '-c', 'ssl_cert_file=/h/addons/pg-1/server.crt', '-c', 'ssl_key_file=/h/addons/pg-1/server.key']);
    expect(tlsArgs({ cert: '/a b/c.crt', key: '/a b/c.key' })).toEqual(['-c', 'ssl=on', '-c', 'ssl_cert_file=/a b/c.crt', '-c', 'ssl_key_file=/a b/c.key']);
  });
});

describe('Postgres add-on SSL: the certificate files', () => {
  let dir: string;
  let home: string;
  let certs: CertStore;
  const mode = async (f: string) => (await stat(f)).mode & 0o777;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'minik-pgtls-'));
    home = await mkdtemp(join(tmpdir(), 'minik-pgtls-home-'));
    certs = new CertStore(home, () => NOW);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
  });

  it('has the CA store make them for localhost and 127.0.0.1 in the add-on folder, both 0600, kept while usable', async () => {
    const paths = await ensureServerCert('pg-1', dir, null, certs);
    expect(paths).toEqual(tlsPaths(dir));
    expect(await mode(paths.key)).toBe(0o600);
    expect(await mode(paths.cert)).toBe(0o600);
    const pem = await readFile(paths.cert, 'utf8');
    const cert = new X509Certificate(pem);
    expect(cert.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1');
    expect(cert.checkIssued(new X509Certificate((await certs.authority()).certPem))).toBe(true);

    await chmod(paths.key, 0o644); // e.g. a folder copied by hand: Postgres would refuse this key
    await ensureServerCert('pg-1', dir, null, certs);
    expect(await readFile(paths.cert, 'utf8')).toBe(pem);
    expect(await mode(paths.key)).toBe(0o600);
  });

  it('names the add-on and the folder when the certificate cannot be had', async () => {
    const failing = { serverCert: () => Promise.reject(new Error('EACCES: permission denied')) };
    const err = await ensureServerCert('pg-1', dir, null, failing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MinikError);
    expect((err as MinikError).message).toBe(`could not prepare the SSL certificate of pg-1 in ${dir}: EACCES: permission denied`);
    expect((err as MinikError).hint).toMatch(/minik certs/);
  });

  it('serves SSL when the certificate can be made; without it, starts with ssl=off and one line saying why', async () => {
    expect(await serverTls('pg-1', dir, null, certs)).toEqual({ args: tlsArgs(tlsPaths(dir)), note: null });
    for (const failing of [
      { serverCert: () => Promise.reject(new Error('EACCES: permission denied, open \'/h/certs/ca.key\'')) }, // the CA unreadable
      { serverCert: () => Promise.reject(new Error('Invalid PEM formatted message.')) }, // a forge error
    ]) {
      const tls = await serverTls('pg-1', dir, null, failing);
      expect(tls.args).toEqual(['-c', 'ssl=off']);
      expect(tls.note).toMatch(new RegExp(`^SSL is off for pg-1, so apps that require it \\(sslmode=require\\) cannot connect: could not prepare the SSL certificate of pg-1 in ${dir}: .+; it serves SSL again`));
    }
    await writeFile(join(dir, 'file'), ''); // a folder the key cannot be written to (ENOTDIR, as a full disk's ENOSPC)
    const tls = await serverTls('pg-1', join(dir, 'file'), null, certs);
    expect(tls.args).toEqual(['-c', 'ssl=off']);
    expect(tls.note).toMatch(/^SSL is off for pg-1, .*ENOTDIR/);
  });

  it.runIf(process.getuid?.() === 0)('as root, gives both files to the server\'s OS user, when issued and when kept', async () => {
    const runAs = { uid: 65534, gid: 65534, name: 'nobody' };
    const paths = await ensureServerCert('pg-1', dir, null, certs);
    const pem = await readFile(paths.cert, 'utf8');
    expect((await stat(paths.key)).uid).toBe(0);
    await ensureServerCert('pg-1', dir, runAs, certs);
    expect(await readFile(paths.cert, 'utf8')).toBe(pem);
    for (const f of [paths.key, paths.cert]) expect(await stat(f)).toMatchObject({ uid: 65534, gid: 65534 });
    await rm(paths.key);
    await ensureServerCert('pg-1', dir, runAs, certs);
    for (const f of [paths.key, paths.cert]) expect(await stat(f)).toMatchObject({ uid: 65534, gid: 65534 });
    expect(await mode(paths.key)).toBe(0o600);
  });
});
