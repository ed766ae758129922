// Why: the composition root: opens the store, starts the router and the API, restores dynos, handles signals.
// Nothing else wires modules together.
import { mkdirSync, readFileSync, unlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Addons, parsePortRange } from '../addons/index.js';
import { addonRoutes } from '../api/addons.js';
import { createApiServer } from '../api/server.js';
import { errorMessage, MinikError } from '../core/errors.js';
import { Platform } from '../deploy/platform.js';
import { Router } from '../router/index.js';
import { Store } from '../store/index.js';
import { LogHub, Supervisor } from '../supervisor/index.js';
import { settingsFromEnv } from './settings.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

async function main(): Promise<void> {
  const settings = settingsFromEnv(process.env);
  const home = settings.home;
  process.umask(0o077);
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const socket = join(home, 'minikd.sock');
  await refuseSecondDaemon(socket);

  const store = new Store(join(home, 'minik.db'));
  const logs = new LogHub(join(home, 'logs'));
  const supervisor = new Supervisor({ logs, backoff: settings.backoff });
  const router = new Router({
    port: settings.routerPort,
    onLog: (app, message) => app && logs.write(app, 'minik', 'router', message),
  });
  await router.listen();
  const platform = new Platform({ store, supervisor, logs, router, settings });
  const addons = new Addons(platform, { ...settings, ports: parsePortRange(process.env.MINIK_ADDON_PORTS) });
  platform.configGuards.push((app, keys) => addons.guardConfig(app, keys));
  platform.destroyHooks.push((app) => addons.destroyForApp(app));

  let stopping: Promise<void> | null = null;
  const shutdown = (why: string) => (stopping ??= (async () => {
    console.log(`${new Date().toISOString()} minikd stopping (${why})`);
    api.close();
    await platform.shutdown();
    await addons.shutdown();
    await router.close();
    store.close();
    try { unlinkSync(socket); } catch { /* already gone */ }
    console.log(`${new Date().toISOString()} minikd stopped`);
    process.exit(0);
  })());

  const api = createApiServer(platform, {
    version: VERSION, socket, port: settings.routerPort, home, startedAt: Date.now(),
    stop: () => void shutdown('minik daemon stop'),
  }, addonRoutes(addons));
  await new Promise<void>((resolve, reject) => api.once('error', reject).listen(socket, resolve));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGHUP', () => void shutdown('SIGHUP'));
  console.log(`${new Date().toISOString()} minikd ${VERSION} pid ${process.pid} on ${socket}, router on http://127.0.0.1:${settings.routerPort}`);
  await addons.restore(); // add-on servers first: the dynos connect to them as they boot
  await platform.restore();
}

/** Why: two daemons on one MINIK_HOME would fight over its dynos; a stale socket from a killed one is removed. */
async function refuseSecondDaemon(socket: string): Promise<void> {
  const alive = await new Promise<boolean>((resolve) => {
    const c = connect(socket, () => { c.destroy(); resolve(true); });
    c.on('error', () => resolve(false));
  });
  if (alive) throw new MinikError(`a minik daemon is already running on ${socket}`, { hint: "stop it with 'minik daemon stop', or set MINIK_HOME to another folder" });
  try { unlinkSync(socket); } catch { /* none */ }
}

main().catch((err) => {
  // The CLI shows the last lines of daemon.log when the daemon dies at start: the reason, then its hint.
  if (!(err instanceof MinikError)) console.error(err);
  console.error(`minikd: ${errorMessage(err)}`);
  if (err instanceof MinikError && err.hint) console.error(`hint: ${err.hint}`);
  process.exit(2);
});
