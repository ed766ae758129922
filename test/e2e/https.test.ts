// Issue 9 item 11: apps are served over https://APP.localhost:MINIK_HTTPS_PORT with certificates from a local CA
// minik creates on first use; the app sees X-Forwarded-Proto https; WebSockets work over wss; and a name that
// no app answers to gets no certificate.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FIXTURES, minik, until, type Minik } from './harness.js';

interface Certs { on: boolean; port: number; reason: string | null; ca: string; fingerprint: string; trust: Array<{ where: string; commands: string[] }> }

function get(port: number, host: string, ca: string, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // The CA as the only trusted root: node's bundled roots are replaced by `ca`.
    const req = https.request({ host: '127.0.0.1', port, servername: host, ca, path, headers: { host }, agent: false }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject).end();
  });
}

describe('HTTPS through the router', () => {
  let m: Minik;
  let port: number;
  beforeAll(async () => { m = await minik(); port = Number(m.env.MINIK_HTTPS_PORT); });
  afterAll(async () => { await m.stop(); });

  it('deploys and prints the https URL; minik certs names the CA, 0600, and the trust commands', async () => {
    for (const f of ['node-hello', 'node-headers']) {
      const up = await m.run(['up', join(FIXTURES, f)]);
      expect(up.exitCode, String(up.stderr)).toBe(0);
      expect(String(up.stdout)).toContain(`https://${f}.localhost:${port}`);
    }
    const info = await m.run(['info', '-a', 'node-hello']);
    expect(String(info.stdout)).toMatch(new RegExp(`HTTPS URL: +https://node-hello\\.localhost:${port}\\n`));
    const certs = JSON.parse(String((await m.run(['certs', '--json'])).stdout)) as Certs;
    expect(certs).toMatchObject({ on: true, port, reason: null, ca: join(m.home, 'certs', 'ca.crt') });
    expect(statSync(certs.ca).mode & 0o777).toBe(0o600);
    expect(statSync(join(m.home, 'certs', 'ca.key')).mode & 0o777).toBe(0o600);
    expect(certs.trust.flatMap((t) => t.commands)).toContain(`sudo cp ${certs.ca} /usr/local/share/ca-certificates/minik.crt`);
    const text = String((await m.run(['certs'])).stdout);
    expect(text).toContain(`CA certificate: ${certs.ca}`);
    expect(text).toContain(`certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n minik -i ${certs.ca}`);
  });

  it('serves the app over TLS trusted by the CA alone, with X-Forwarded-Proto https', async () => {
    const ca = readFileSync(join(m.home, 'certs', 'ca.crt'), 'utf8');
    expect(await get(port, 'node-hello.localhost', ca)).toEqual({ status: 200, body: 'Hello from node-hello (web.1)' });
    const echoed = JSON.parse((await get(port, 'node-headers.localhost', ca, '/x')).body) as { headers: Record<string, string> };
    expect(echoed.headers).toMatchObject({ 'x-forwarded-proto': 'https', 'x-forwarded-port': String(port), host: 'node-headers.localhost' });
    expect(JSON.parse((await m.get('node-headers')).body).headers['x-forwarded-proto']).toBe('http');
    expect(statSync(join(m.home, 'certs', 'hosts', 'node-hello.localhost.pem')).mode & 0o777).toBe(0o600);
    await until(async () => /protocol=https/.test(String((await m.run(['logs', '-a', 'node-hello'])).stdout)) || null, 'an https router line');
  });

  it('carries a WebSocket over wss', async () => {
    const ca = readFileSync(join(m.home, 'certs', 'ca.crt'), 'utf8');
    const ws = new WebSocket(`wss://127.0.0.1:${port}/ws`, { headers: { host: 'node-hello.localhost' }, servername: 'node-hello.localhost', ca });
    try {
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      const reply = new Promise<string>((resolve) => ws.once('message', (d) => resolve(d.toString())));
      ws.send('hello over tls');
      expect(await reply).toBe('hello over tls');
    } finally {
      ws.terminate();
    }
  });

  it('mints no certificate for a name no app answers to', async () => {
    const ca = readFileSync(join(m.home, 'certs', 'ca.crt'), 'utf8');
    await expect(get(port, 'random-name.example', ca)).rejects.toThrow();
    await expect(get(port, 'nope.localhost', ca)).rejects.toThrow();
    expect(readdirSync(join(m.home, 'certs', 'hosts')).sort()).toEqual(['node-headers.localhost.pem', 'node-hello.localhost.pem']);
  });
});

describe('HTTPS port taken', () => {
  it('the daemon still serves HTTP, and minik certs and info say HTTPS is off and why', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    const m = await minik({ MINIK_HTTPS_PORT: String(taken) });
    try {
      const up = await m.run(['up', join(FIXTURES, 'node-hello')]);
      expect(up.exitCode, String(up.stderr)).toBe(0);
      expect(String(up.stdout)).not.toContain('https://');
      expect((await m.get('node-hello')).status).toBe(200);
      const certs = JSON.parse(String((await m.run(['certs', '--json'])).stdout)) as Certs;
      expect(certs).toMatchObject({ on: false, port: taken, reason: `port ${taken} is already in use on 127.0.0.1 (stop what uses it, or set MINIK_HTTPS_PORT to another port (e.g. MINIK_HTTPS_PORT=${taken + 1} minik daemon start))` });
      expect(existsSync(certs.ca)).toBe(true);
      expect(String((await m.run(['info', '-a', 'node-hello'])).stdout)).toContain("HTTPS URL:     off (see 'minik certs')");
      expect(readFileSync(join(m.home, 'daemon.log'), 'utf8')).toContain(`HTTPS not started: port ${taken} is already in use`);
    } finally {
      await m.stop();
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });
});
