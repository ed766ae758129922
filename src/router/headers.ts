// Why: dynos see the same forwarding headers Heroku's router adds, so apps behave here as they will there.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A client's own request id is kept when it looks like one (Heroku's rule: 20-200 of these characters). */
const REQUEST_ID = /^[A-Za-z0-9+=/-]{20,200}$/;

/**
 * Why: computes X-Forwarded-For/Proto/Port, X-Request-Id, X-Request-Start and Via into req.headers, where the
 * HTTP path (forward.ts) picks them up, http-proxy-3 copies them for upgrades, and the log line reads them
 * (its protocol= field is X-Forwarded-Proto).
 */
export function setForwardHeaders(req: IncomingMessage, proto: 'http' | 'https', routerPort: string, now: number): void {
  const h = req.headers;
  const ip = req.socket.remoteAddress ?? '';
  const xff = h['x-forwarded-for'];
  h['x-forwarded-for'] = xff ? `${xff}, ${ip}` : ip;
  h['x-forwarded-proto'] = proto;
  h['x-forwarded-port'] = routerPort;
  const id = h['x-request-id'];
  if (typeof id !== 'string' || !REQUEST_ID.test(id)) h['x-request-id'] = randomUUID();
  h['x-request-start'] = String(now);
  h.via = h.via ? `${h.via}, 1.1 minik` : '1.1 minik';
}

