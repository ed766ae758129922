// Heroku Postgres always offers SSL, and apps written for Heroku require it (Django's ssl_require: sslmode=require). A
// release phase and a one-off that demand SSL connect, encrypted, on one add-on reused throughout: after it is
// created, when it predates SSL (no certificate files) and the daemon restarts, and after a daemon SIGKILL.
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addonPorts, addonProcesses, postmasters } from './addons-helpers.js';
import { alive, minik, until, type Minik } from './harness.js';

const APP = 'pgssl';
const ADDON = 'postgresql-pgssl-1';
/** One row: `ssl|version` of the connection itself, as the server sees it. */
const SSL_ROW = 'select ssl::text || $$|$$ || coalesce(version, $$none$$) from pg_stat_ssl where pid = pg_backend_pid()';

describe('a Postgres add-on serves SSL', () => {
  let m: Minik;
  let dir: string;
  const addonDir = () => join(m.home, 'addons', ADDON);
  /** psql in a one-off dyno on DATABASE_URL with `params` appended; its one line of output. */
  const oneOff = async (params: string, sql = SSL_ROW) => {
    const r = await m.run(['run', '-a', APP, '--', `psql "$DATABASE_URL?${params}" -v ON_ERROR_STOP=1 -Atc '${sql}'`]);
    expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
    return String(r.stdout).trim();
  };

  beforeAll(async () => {
    m = await minik({ MINIK_ADDON_PORTS: addonPorts() });
    dir = join(m.home, APP);
    await mkdir(dir);
    await writeFile(join(dir, 'Procfile'), [
      `release: psql "$DATABASE_URL?sslmode=require" -v ON_ERROR_STOP=1 -Atc "select 'release ssl=' || ssl from pg_stat_ssl where pid = pg_backend_pid()"`,
      `web: node -e "require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT, '127.0.0.1')"`,
    ].join('\n'));
  });
  afterAll(async () => {
    const home = m.home;
    await m.stop();
    expect(addonProcesses(home), 'add-on processes outlived daemon stop').toEqual([]);
  });

  it('lets a release phase that requires SSL connect, encrypted; verify-full with the CA; plain clients still connect', async () => {
    const created = await m.run(['addons:create', 'heroku-postgresql', '-a', APP], { cwd: dir });
    expect(created.exitCode, created.stderr).toBe(0);
    const url = String((await m.run(['config:get', 'DATABASE_URL', '-a', APP])).stdout).trim();
    expect(url).toMatch(/^postgres:\/\/postgres:[0-9a-f]{48}@127\.0\.0\.1:[0-9]+\/postgres$/); // Heroku's form: no sslmode

    const up = await m.run(['up', dir]);
    expect(up.exitCode, `${up.stdout}\n${up.stderr}`).toBe(0);
    expect(String(up.stdout) + String(up.stderr)).toMatch(/release ssl=true/);

    expect(await oneOff('sslmode=require', 'show ssl')).toBe('on');
    expect(await oneOff(`sslmode=verify-full&sslrootcert=${join(m.home, 'certs', 'ca.crt')}`)).toMatch(/^true\|TLSv1\.[23]$/);
    expect(await oneOff('sslmode=disable')).toBe('false|none');
    const own = await m.run(['pg:psql', '-a', APP, '-c', SSL_ROW.replace(/\$\$/g, "'")]); // minik's psql: libpq's default, prefer
    expect(own.exitCode, own.stderr).toBe(0);
    expect(own.stdout).toMatch(/^ true\|TLSv1\.[23]$/m);

    const key = await stat(join(addonDir(), 'server.key'));
    expect(key.mode & 0o777).toBe(0o600);
    if (process.getuid?.() === 0) expect(key.uid).toBe((await stat(join(addonDir(), 'data'))).uid); // minik-pg's, as the data folder
    expect((await stat(join(addonDir(), 'server.crt'))).mode & 0o777).toBe(0o600);
  }, 180_000);

  it('gives an add-on made before SSL (no certificate files) SSL at the next daemon start', async () => {
    expect((await m.run(['daemon', 'stop'])).exitCode).toBe(0);
    expect(postmasters(m.home)).toEqual([]);
    await rm(join(addonDir(), 'server.crt'));
    await rm(join(addonDir(), 'server.key'));
    expect(await oneOff('sslmode=require')).toMatch(/^true\|TLSv1\.[23]$/); // the first command starts the daemon
    const cert = await readFile(join(addonDir(), 'server.crt'), 'utf8');
    const subject = await execa('openssl', ['x509', '-noout', '-ext', 'subjectAltName'], { input: cert });
    expect(subject.stdout).toMatch(/DNS:localhost, IP Address:127\.0\.0\.1/);
  }, 120_000);

  it('still serves SSL after a daemon SIGKILL, with the same certificate', async () => {
    const cert = await readFile(join(addonDir(), 'server.crt'), 'utf8');
    const before = postmasters(m.home);
    expect(before).toHaveLength(1);
    const daemon = (await m.daemonPid())!;
    process.kill(daemon, 'SIGKILL');
    await until(() => !alive(daemon), 'the daemon to die');
    expect(await oneOff('sslmode=require')).toMatch(/^true\|TLSv1\.[23]$/);
    const after = postmasters(m.home);
    expect(after).toHaveLength(1);
    expect(after).not.toEqual(before);
    expect(await readFile(join(addonDir(), 'server.crt'), 'utf8')).toBe(cert);
  }, 120_000);
});

// A certificate that cannot be made (here: a CA key path the daemon cannot write) must not cost the user the database:
// the add-on starts with ssl=off, says so once in its log, and a client that requires SSL gets its own driver's error.
describe('a Postgres add-on whose certificate cannot be made', () => {
  let m: Minik;
  const app = 'pgnossl';
  beforeAll(async () => {
    m = await minik({ MINIK_ADDON_PORTS: addonPorts() });
    await mkdir(join(m.home, 'certs', 'ca.key', 'in-the-way'), { recursive: true }); // the CA cannot be written
  });
  afterAll(async () => {
    const home = m.home;
    await m.stop();
    expect(addonProcesses(home), 'add-on processes outlived daemon stop').toEqual([]);
  });

  it('starts with SSL off and one log line saying why', async () => {
    expect((await m.run(['apps:create', app])).exitCode).toBe(0);
    const created = await m.run(['addons:create', 'heroku-postgresql', '-a', app]);
    expect(created.exitCode, created.stderr).toBe(0);
    const ssl = await m.run(['pg:psql', '-a', app, '-c', 'show ssl']);
    expect(ssl.exitCode, ssl.stderr).toBe(0);
    expect(ssl.stdout).toMatch(/^ off$/m);
    const logs = await m.run(['logs', '-a', app, '--ps', 'postgres', '-n', '200']);
    const off = String(logs.stdout).split('\n').filter((l) => l.includes('SSL is off'));
    expect(off).toEqual([expect.stringMatching(/minik\[postgres\]: SSL is off for postgresql-pgnossl-1, so apps that require it \(sslmode=require\) cannot connect: could not prepare the SSL certificate of postgresql-pgnossl-1 in .+/)]);
    const url = String((await m.run(['config:get', 'DATABASE_URL', '-a', app])).stdout).trim();
    const required = await execa('psql', [`${url}?sslmode=require`, '-Atc', 'select 1'], { reject: false });
    expect(required.exitCode).not.toBe(0);
    expect(required.stderr).toMatch(/server does not support SSL/);
  }, 120_000);
});
