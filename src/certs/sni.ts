// Why: the TLS listener asks for a certificate per handshake (SNI). Only hosts in the route table get one, so a
// client cannot make minik sign certificates for names it does not route (each is a key and a file on disk).
// One fixed name is served besides: `localhost`, for tools that cannot resolve *.localhost (glibc, wrk) and send
// the app's name in the Host header instead — one certificate, so it adds nothing a client could multiply.
import type { TlsOptions } from 'node:tls';
import type { CertStore } from './store.js';

/** Node's SNICallback signature. */
export type SniCallback = NonNullable<TlsOptions['SNICallback']>;

/** The one name served without a route. */
export const LOCALHOST = 'localhost';

/** An SNICallback that serves `store`'s certificate for hosts `routed` accepts and refuses the handshake otherwise. */
export function sniCallback(store: CertStore, routed: (host: string) => boolean, onError: (host: string, err: Error) => void): SniCallback {
  return (servername, cb) => {
    const host = servername.toLowerCase().replace(/\.$/, '');
    if (host !== LOCALHOST && !routed(host)) return cb(new Error(`no app is routed at ${host}`));
    store.context(host).then((ctx) => cb(null, ctx), (err: Error) => {
      onError(host, err);
      cb(err);
    });
  };
}
