// Why: wires the HTTPS side at start-up: the router's TLS listener with certificates from the local CA. A busy
// MINIK_HTTPS_PORT must not keep apps from running over HTTP, so a failure is logged and reported (`minik certs`,
// `minik info`), never fatal.
import { X509Certificate } from 'node:crypto';
import { CertStore, sniCallback, type HttpsStatus } from '../certs/index.js';
import { errorMessage } from '../core/errors.js';
import type { Router } from '../router/index.js';

/** What `GET /certs` answers: the CA (created on first use) and whether HTTPS listens. */
export type HttpsReport = () => Promise<HttpsStatus>;

/**
 * Starts HTTPS on `port` (null: disabled with MINIK_HTTPS_PORT=off) with certificates from `certs`, and returns the
 * bound port (null when off) with the report for `minik certs`. `log` gets one line when it does not start.
 */
export async function startHttps(router: Router, certs: CertStore, port: number | null, log: (line: string) => void): Promise<{ port: number | null; report: HttpsReport }> {
  let reason: string | null = port === null ? 'HTTPS is disabled (MINIK_HTTPS_PORT=off)' : null;
  if (port !== null) {
    const sni = sniCallback(certs, (host) => router.routes(host), (host, err) => log(`https: no certificate for ${host}: ${errorMessage(err)}`));
    try {
      await router.listenHttps(port, sni);
    } catch (err) {
      const hint = (err as { hint?: string }).hint;
      reason = `${errorMessage(err)}${hint ? ` (${hint})` : ''}`;
      log(`HTTPS not started: ${reason}`);
    }
  }
  const bound = router.httpsPort;
  const report: HttpsReport = async () => {
    const ca = await certs.authority();
    return {
      on: bound !== null, port: bound ?? port, reason, ca: certs.paths.caCert,
      fingerprint: new X509Certificate(ca.certPem).fingerprint256,
    };
  };
  return { port: bound, report };
}
