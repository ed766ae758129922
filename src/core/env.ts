// Why: builds and dynos start from one allow-listed environment, so what reaches an app never depends
// on the terminal that first started the daemon (npm_*, INIT_CWD, MINIK_*, shell secrets stay out).
import { dirname } from 'node:path';

/**
 * Variables a process needs to behave like a login on this machine: where programs are, who and where
 * the user is, locale and time zone, the temp folder, and the network's proxy and CA settings (npm and
 * pip cannot reach their registries without them behind a corporate proxy). TERM is left out: builds
 * and dynos have no terminal, and tools that see one print colour codes into the logs.
 */
const ALLOWED = new Set([
  'PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LANGUAGE', 'TZ', 'TMPDIR',
  'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy',
  'SSL_CERT_FILE', 'SSL_CERT_DIR', 'NODE_EXTRA_CA_CERTS',
]);
const ALLOWED_PREFIX = /^LC_[A-Z]+$/;
const DEFAULT_PATH = '/usr/local/bin:/usr/bin:/bin';

/** The folder of the node running minik now: builds and dynos find `node` and `npm` there first. */
export const nodeDir = (): string => dirname(process.execPath);

/** Why: the one base environment of builds and dynos, taken from `source` (the daemon's environment). */
export function baseEnv(source: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) if (v !== undefined && (ALLOWED.has(k) || ALLOWED_PREFIX.test(k))) env[k] = v;
  env.PATH = withNodeDir(env.PATH ?? DEFAULT_PATH);
  return env;
}

/** PATH with the current node's folder first (once), so `node` is the daemon's real binary, not a version-manager shim. */
export function withNodeDir(path: string, dir = nodeDir()): string {
  return [dir, ...path.split(':').filter((p) => p !== '' && p !== dir)].join(':');
}
