// Why: the CLI and the daemon find each other through MINIK_HOME; every path is derived here, once.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MinikError } from '../core/errors.js';
import { checkHome } from '../core/home.js';

/** The folder holding the socket, the database and daemon.log: $MINIK_HOME or ~/.minik. */
export function minikHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.MINIK_HOME ? resolve(env.MINIK_HOME) : join(homedir(), '.minik');
}

/**
 * The daemon's control socket, once MINIK_HOME is known to be the user's own and closed to others: every way
 * the CLI reaches the daemon goes through here, so it never talks to a socket someone else could have put there.
 */
export function socketPath(env: NodeJS.ProcessEnv = process.env): string {
  const home = minikHome(env);
  checkHome(home);
  return join(home, 'minikd.sock');
}

/** Where the auto-started daemon appends its stdout and stderr. */
export function daemonLogPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(minikHome(env), 'daemon.log');
}

/** The router's port: $MINIK_PORT or 7080. */
export function routerPort(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.MINIK_PORT;
  if (raw === undefined || raw === '') return 7080;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new MinikError(`MINIK_PORT '${raw}' is not a port number`, { hint: 'use a whole number from 1 to 65535, e.g. MINIK_PORT=7080' });
  }
  return port;
}

/** The URL an app is served at by the local router. */
export function appUrl(app: string, port: number = routerPort()): string {
  return `http://${app}.localhost:${port}`;
}

/**
 * minik's own folder (the one with its package.json), found by walking up from this file: the same answer
 * from dist/cli/*.js and from the single-file bundle dist/minik.mjs.
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
