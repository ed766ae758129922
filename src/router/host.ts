// Why: the router picks the app by the request's host, so that host must be exactly one well-formed name
// (RFC 9112 §3.2: 400 for a missing, repeated or invalid Host). Otherwise `Host: app.localhost:@evil.com/x` would be
// routed to `app` and passed on verbatim, and with two Host lines the router and the dyno could each read another.
// It runs for every request: one pass over the header names and one over the host's characters, no regex.
// Also here: whether a request comes from this machine's own browser (the 404 lists the apps only to it).
import type { IncomingMessage } from 'node:http';

/**
 * Why: the route-table key of the request's host (lower case, no port, no trailing dot), or null when the request
 * must be answered 400. An absolute-form target (`GET http://app.localhost:7080/x`) is routed by its URI's host
 * (RFC 9112 §3.2.2): req.headers.host becomes that authority and req.url the origin form, so the route, the log
 * line and the Host the dyno receives all agree.
 */
export function requestHost(req: IncomingMessage): string | null {
  const raw = req.rawHeaders;
  let hosts = 0;
  for (let i = 0; i < raw.length; i += 2) if (isHostName(raw[i]!)) hosts++;
  if (hosts !== 1) return null;
  const key = hostKey(req.headers.host!);
  if (key === null) return null;
  const url = req.url ?? '';
  if (url.charCodeAt(0) === 47 /* / */ || url === '*') return key;
  return absoluteForm(req, url);
}

/** `Host` in any case, compared without allocating. */
function isHostName(name: string): boolean {
  return name.length === 4 && (name === 'Host' || name === 'host' || name.toLowerCase() === 'host');
}

/**
 * Why: the table key for a Host value, or null when it is not `uri-host [ ":" port ]` (RFC 3986 reg-name or IPv4
 * characters, or an IPv6 literal, then digits only after the colon). An IPv6 literal is valid but names no app.
 */
export function hostKey(value: string): string | null {
  const n = value.length;
  if (n === 0) return null;
  let i = 0;
  let upper = false;
  if (value.charCodeAt(0) === 91 /* [ */) {
    i = value.indexOf(']');
    if (i < 2) return null;
    for (let j = 1; j < i; j++) if (!isIpv6Char(value.charCodeAt(j))) return null;
    i++;
  } else {
    for (; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c === 58 /* : */) break;
      if (c >= 65 && c <= 90) upper = true;
      else if (c === 37 /* % */) {
        if (!isHex(value.charCodeAt(i + 1)) || !isHex(value.charCodeAt(i + 2))) return null;
      } else if (!isRegNameChar(c)) return null;
    }
    if (i === 0) return null;
  }
  const end = i;
  if (i < n) {
    if (value.charCodeAt(i) !== 58) return null;
    for (i++; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c < 48 || c > 57) return null;
    }
  }
  let last = end;
  if (value.charCodeAt(last - 1) === 46 /* . */ && last > 1) last--;
  const key = last === n ? value : value.slice(0, last);
  return upper ? key.toLowerCase() : key;
}

/** unreserved and sub-delims of RFC 3986 (pct-encoded is checked by the caller). */
function isRegNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 46 || c === 95 || c === 126 ||
    c === 33 || c === 36 || (c >= 38 && c <= 44) || c === 59 || c === 61;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function isIpv6Char(c: number): boolean {
  return isHex(c) || c === 58 || c === 46;
}

/** `http://authority/path?q` → routes by authority; null for another scheme, userinfo or an invalid authority. */
function absoluteForm(req: IncomingMessage, url: string): string | null {
  const lower = url.slice(0, 8).toLowerCase();
  const start = lower.startsWith('http://') ? 7 : lower.startsWith('https://') ? 8 : -1;
  if (start === -1) return null;
  let end = start;
  while (end < url.length) {
    const c = url.charCodeAt(end);
    if (c === 47 || c === 63 /* ? */ || c === 35 /* # */) break;
    end++;
  }
  const authority = url.slice(start, end);
  const key = authority.includes('@') ? null : hostKey(authority);
  if (key === null) return null;
  req.headers.host = authority;
  const rest = url.slice(end);
  req.url = rest.charCodeAt(0) === 47 ? rest : `/${rest}`;
  return key;
}

/** `localhost` or a `*.localhost` name (RFC 6761: always this machine). */
export function isLocalhostName(key: string): boolean {
  return key === 'localhost' || key.endsWith('.localhost');
}

/** A loopback peer address, IPv4, IPv6 or IPv4-mapped. */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.');
}
