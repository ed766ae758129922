// Why: Heroku apps send http requests to https themselves when they see X-Forwarded-Proto: http (Django's
// SECURE_SSL_REDIRECT, Rails' force_ssl, express-sslify). Django keeps the Host's port (https://shop.localhost:7080/),
// Rails drops it (https://shop.localhost/), and neither port speaks TLS here: on Heroku both are 443. As a reverse
// proxy rewrites the redirects of the hosts it fronts (nginx's proxy_redirect), the router points such a redirect of
// the app's own host at its HTTPS port.
/**
 * The Location to send instead of `location` for a request that came to `host` (its Host header) on the HTTP port
 * `httpPort`, or null to send it as it is: only https URLs of that same host name, on the HTTP port or on none.
 */
export function localHttpsLocation(location: string, host: string, httpPort: string, httpsPort: string): string | null {
  if (!/^https:\/\//i.test(location)) return null;
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return null;
  }
  const name = host.replace(/:\d*$/, '').toLowerCase();
  if (url.hostname !== name || (url.port !== '' && url.port !== httpPort)) return null;
  url.port = httpsPort;
  return url.href;
}
