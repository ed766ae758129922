// Why: the HTTPS listener is an https.Server whose certificates all come from the SNI callback (per host, from
// minik's local CA); it has no default certificate, so a handshake without a routed server name fails.
import https from 'node:https';
import type { TlsOptions } from 'node:tls';

/** Node's SNICallback signature (src/certs builds one). */
export type SniCallback = NonNullable<TlsOptions['SNICallback']>;

/** An https.Server (no request listener yet) that takes its certificate from `sni`; HTTP/1.1 only, like the HTTP side. */
export function createTlsServer(sni: SniCallback): https.Server {
  const server = https.createServer({
    SNICallback: sni,
    minVersion: 'TLSv1.2',
    ALPNProtocols: ['http/1.1'],
    connectionsCheckingInterval: 2_000,
  });
  // Why quiet: a refused SNI name or a client that does not trust the CA is the client's problem, not the daemon's.
  server.on('tlsClientError', (_err, socket) => socket.destroy());
  return server;
}
