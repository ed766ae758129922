// Why: app.json `healthchecks`, as Dokku's checks run them: before the router switches to new web dynos,
// each must answer the check's path with 2xx/3xx (and the expected content, if given). A check that keeps
// failing fails the deploy, and the release that served before keeps serving.
import http from 'node:http';
import { invalid, MinikError } from '../core/errors.js';
import type { DynoHandle, Output } from './context.js';

/** One startup check of the web process type, with Dokku's field names turned into milliseconds. */
export interface Healthcheck {
  name: string;
  path: string;
  attempts: number;
  timeoutMs: number;
  waitMs: number;
  initialDelayMs: number;
  content?: string;
}

// docker-container-healthchecker's defaults, which Dokku uses for app.json checks.
const DEFAULTS = { attempts: 3, timeout: 5, wait: 5, initialDelay: 0 } as const;
const MAX_SECONDS = 600;
const MAX_ATTEMPTS = 100;

/**
 * The web startup checks with a path in app.json's `healthchecks` (pure). Other process types, other
 * check types (liveness, readiness) and checks without a path (uptime, listening, command) are left to
 * minik's own readiness check (the web dyno accepts connections on $PORT), and are returned as `skipped`.
 */
export function parseHealthchecks(value: unknown): { checks: Healthcheck[]; skipped: string[] } {
  const checks: Healthcheck[] = [];
  const skipped: string[] = [];
  if (value === undefined) return { checks, skipped };
  if (!isObject(value)) throw invalid("app.json 'healthchecks' must be an object of process types", 'e.g. "healthchecks": {"web": [{"type": "startup", "path": "/health"}]}');
  for (const [type, list] of Object.entries(value)) {
    if (!Array.isArray(list)) throw invalid(`app.json healthchecks.${type} must be a list of checks`, `e.g. "${type}": [{"type": "startup", "path": "/health"}]`);
    list.forEach((c: unknown, i) => {
      const where = `app.json healthchecks.${type}[${i}]`;
      if (!isObject(c)) throw invalid(`${where} must be an object`, 'e.g. {"type": "startup", "path": "/health", "attempts": 3}');
      const kind = c.type ?? 'startup';
      const name = typeof c.name === 'string' && c.name ? c.name : `${type} check ${i + 1}`;
      if (type !== 'web' || kind !== 'startup' || c.path === undefined) {
        skipped.push(`${name} (${type !== 'web' ? `process type ${type}` : kind !== 'startup' ? `type ${String(kind)}` : 'no path'})`);
        return;
      }
      if (typeof c.path !== 'string' || !c.path.startsWith('/')) throw invalid(`${where}.path must start with '/', not ${JSON.stringify(c.path)}`, 'e.g. "path": "/health"');
      if (c.content !== undefined && typeof c.content !== 'string') throw invalid(`${where}.content must be a string`, 'e.g. "content": "ok"');
      checks.push({
        name, path: c.path,
        attempts: int(where, 'attempts', c.attempts, DEFAULTS.attempts, 1, MAX_ATTEMPTS),
        timeoutMs: int(where, 'timeout', c.timeout, DEFAULTS.timeout, 1, MAX_SECONDS) * 1000,
        waitMs: int(where, 'wait', c.wait, DEFAULTS.wait, 0, MAX_SECONDS) * 1000,
        initialDelayMs: int(where, 'initialDelay', c.initialDelay, DEFAULTS.initialDelay, 0, MAX_SECONDS) * 1000,
        ...(c.content !== undefined ? { content: c.content as string } : {}),
      });
    });
  }
  return { checks, skipped };
}

function int(where: string, field: string, v: unknown, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw invalid(`${where}.${field} must be a whole number from ${min} to ${max}, not ${JSON.stringify(v)}`, `e.g. "${field}": ${dflt}`);
  }
  return v;
}

/** One request's outcome: the status (or the network error) and whether it passes. */
export interface Probe { ok: boolean; what: string }

/** Why: a check passes on 2xx/3xx, as Dokku's; the body is read only when content is expected. */
export function judge(status: number, body: string, content?: string): Probe {
  if (status < 200 || status >= 400) return { ok: false, what: `status ${status}` };
  if (content !== undefined && !body.includes(content)) return { ok: false, what: `status ${status} without '${content}' in the body` };
  return { ok: true, what: `status ${status}` };
}

/** Runs every check against every new web dyno; throws 'healthcheck_failed' naming the path, the last answer and the attempts. */
export async function runHealthchecks(dynos: readonly DynoHandle[], checks: readonly Healthcheck[], host: string, out?: Output): Promise<void> {
  if (checks.length === 0) return;
  await Promise.all(dynos.map(async (d) => {
    for (const check of checks) await runCheck(d, check, host, out);
  }));
}

async function runCheck(d: DynoHandle, check: Healthcheck, host: string, out?: Output): Promise<void> {
  out?.log(`-----> Running healthcheck '${check.name}' on ${d.spec.name}: GET ${check.path}`);
  await sleep(check.initialDelayMs);
  let last: Probe = { ok: false, what: 'no answer' };
  for (let attempt = 1; attempt <= check.attempts; attempt++) {
    last = await request(d.spec.port, check, host);
    if (last.ok) {
      out?.log(`       ${d.spec.name} answered ${check.path} with ${last.what}`);
      return;
    }
    out?.log(`       attempt ${attempt}/${check.attempts}: ${last.what}`);
    if (attempt < check.attempts) await sleep(check.waitMs);
  }
  throw new MinikError(`healthcheck '${check.name}' failed: ${d.spec.name} answered GET ${check.path} with ${last.what} on each of ${check.attempts} attempt${check.attempts === 1 ? '' : 's'}`, {
    code: 'healthcheck_failed',
    hint: `fix the app's ${check.path}, or the check in app.json's healthchecks.web`,
  });
}

function request(port: number | null, check: Healthcheck, host: string): Promise<Probe> {
  if (port === null) return Promise.resolve({ ok: false, what: 'no port' });
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: check.path, headers: { Host: host, 'X-Forwarded-Proto': 'http' }, timeout: check.timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { if (body.length < 1 << 20) body += chunk; });
      res.on('end', () => resolve(judge(res.statusCode ?? 0, body, check.content)));
      res.on('error', (err) => resolve({ ok: false, what: err.message }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${check.timeoutMs / 1000} s`)));
    req.on('error', (err) => resolve({ ok: false, what: err.message }));
  });
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
