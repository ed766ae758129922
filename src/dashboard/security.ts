// Why: the dashboard changes state from a browser on 127.0.0.1, which any local user and any web page can reach.
// So: exact Host values only (DNS rebinding), a session only the owner can start (a one-time token from the
// owner-only control socket, exchanged for an HttpOnly SameSite=Strict cookie), and on every change a matching
// Origin, a JSON body and a CSRF header. No CORS headers are ever sent.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const COOKIE = 'minik_session';
export const CSRF_HEADER = 'x-minik-csrf';
const LOGIN_TTL_MS = 120_000;
const SESSION_TTL_MS = 12 * 3_600_000;

/** The only Host header values served. */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
}

/** Why a request is refused, as an HTTP status and a sentence; null when it may proceed. */
export type Refusal = { status: number; message: string } | null;

/** Host check for every request: an exact match, never a substring one. */
export function checkHost(host: string | undefined, port: number): Refusal {
  return host !== undefined && allowedHosts(port).includes(host.toLowerCase()) ? null : { status: 403, message: `Host '${host ?? ''}' is not served here` };
}

/** The checks on a change (POST, PUT, PATCH, DELETE) beyond the session: same Origin, JSON body, CSRF header. */
export function checkChange(h: IncomingHttpHeaders, csrf: string): Refusal {
  if (h.origin !== `http://${h.host}`) return { status: 403, message: `Origin '${h.origin ?? ''}' does not match` };
  if (!/^application\/json(;|$)/.test(h['content-type'] ?? '')) return { status: 415, message: 'a change needs a JSON body' };
  const sent = h[CSRF_HEADER];
  if (typeof sent !== 'string' || !same(sent, csrf)) return { status: 403, message: 'missing or wrong CSRF token' };
  return null;
}

/** A cookie's value from a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

interface Session { csrf: string; expires: number }

/** One-time login tokens and the sessions they become, in memory (a restarted daemon asks for a new login). */
export class Sessions {
  readonly #logins = new Map<string, number>();
  readonly #sessions = new Map<string, Session>();

  /** A token for one login within two minutes. */
  mintLogin(now = Date.now()): string {
    const token = randomBytes(24).toString('base64url');
    this.#logins.set(token, now + LOGIN_TTL_MS);
    return token;
  }

  /** Consumes a login token; returns the new session id, or null if the token is unknown, used or stale. */
  exchange(token: string, now = Date.now()): string | null {
    const expires = this.#logins.get(token);
    this.#logins.delete(token);
    if (expires === undefined || expires < now) return null;
    const id = randomBytes(32).toString('base64url');
    this.#sessions.set(id, { csrf: randomBytes(24).toString('base64url'), expires: now + SESSION_TTL_MS });
    return id;
  }

  /** The session's CSRF token, or null when the cookie names no live session. */
  csrf(id: string | undefined, now = Date.now()): string | null {
    const s = id === undefined ? undefined : this.#sessions.get(id);
    if (!s) return null;
    if (s.expires < now) {
      this.#sessions.delete(id!);
      return null;
    }
    return s.csrf;
  }
}

/** The Set-Cookie value of a session. */
export function sessionCookie(id: string): string {
  return `${COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${SESSION_TTL_MS / 1000}`;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
