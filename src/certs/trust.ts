// Why: `minik certs` tells users how to make browsers and tools trust minik's CA; the steps are data here
// (pure, tested) and the CLI only prints them. minik never installs the CA itself: that needs root and is the
// user's decision.

/** What the daemon reports about HTTPS (`GET /certs`). */
export interface HttpsStatus {
  /** The HTTPS router listens. */
  on: boolean;
  /** The port it listens on, or the one it was configured with when off (null: disabled with MINIK_HTTPS_PORT=off). */
  port: number | null;
  /** Why it is off, as one sentence; null when on. */
  reason: string | null;
  /** The CA certificate users import. */
  ca: string;
  /** The CA's SHA-256 fingerprint, to compare with what a browser shows. */
  fingerprint: string;
}

/** One way to trust the CA. */
export interface TrustStep { where: string; commands: string[]; note?: string }

/** The trust steps for the CA at `ca` (HTTPS on `port`), system store first, then browsers, then developer tools. */
export function trustSteps(ca: string, port: number | null): TrustStep[] {
  return [
    { where: 'Debian/Ubuntu system store', commands: [`sudo cp ${ca} /usr/local/share/ca-certificates/minik.crt`, 'sudo update-ca-certificates'] },
    { where: 'Fedora/RHEL system store', commands: [`sudo cp ${ca} /etc/pki/ca-trust/source/anchors/minik.crt`, 'sudo update-ca-trust'] },
    {
      where: 'Chromium/Chrome (NSS, Linux)',
      commands: [`certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n minik -i ${ca}`],
      note: 'certutil is in libnss3-tools; or Settings → Privacy and security → Security → Manage certificates → Authorities → Import',
    },
    {
      where: 'Firefox',
      commands: [`certutil -d sql:$HOME/.mozilla/firefox/PROFILE -A -t C,, -n minik -i ${ca}`],
      note: 'or Settings → Privacy & Security → Certificates → View Certificates… → Authorities → Import…, tick "Trust this CA to identify websites"',
    },
    { where: 'Node.js and curl', commands: [`export NODE_EXTRA_CA_CERTS=${ca}`, `curl --cacert ${ca} https://APP.localhost:${port ?? 7443}/`] },
  ];
}

/** The https URL of `host`, or null when HTTPS is off. */
export function httpsUrl(host: string, port: number | null): string | null {
  return port === null ? null : `https://${host}:${port}`;
}
