// Tiny HTTP helpers: one GET with a Host header, and waiting until a URL answers.
import http from 'node:http';
import { sleep } from './proc.mjs';

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** GET `url` with an optional Host header; resolves {status, body}. */
export function get(url, { host, timeoutMs = 5000, keepAlive = true } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: host ? { host } : {}, agent: keepAlive ? agent : false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

/** Polls `url` until it answers 2xx (and `bodyIncludes`, if given); throws after `timeoutMs`. */
export async function waitHttp(url, { host, timeoutMs = 10_000, intervalMs = 50, bodyIncludes, child } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode !== null || child.failed)) {
      throw new Error(`the process ${child.failed ? `failed to start (${child.failed.message})` : `exited (${child.exitCode ?? child.signalCode})`} before ${url} answered`);
    }
    try {
      const r = await get(url, { host, timeoutMs: 2000, keepAlive: false });
      if (r.status < 300 && (!bodyIncludes || r.body.includes(bodyIncludes))) return r;
      last = `HTTP ${r.status}: ${r.body.slice(0, 80)}`;
    } catch (e) { last = e.message; }
    await sleep(intervalMs);
  }
  throw new Error(`${url} (Host ${host ?? '-'}) not ready after ${timeoutMs} ms: ${last}`);
}

/** Closes the keep-alive sockets kept by get(). */
export const closeAgent = () => agent.destroy();
