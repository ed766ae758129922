// Why: the composition root: opens the store, starts the router and the API, restores dynos, handles signals.
// Nothing else wires modules together.
import { mkdirSync, readFileSync, unlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Addons, parsePortRange } from '../addons/index.js';
import { addonRoutes } from '../api/addons.js';
import { certRoutes } from '../api/certs.js';
import { createApiServer } from '../api/server.js';
import { Autoscaler } from '../autoscale/index.js';
import { CertStore } from '../certs/index.js';
import { Dashboard } from '../dashboard/index.js';
import { DrainManager } from '../drains/index.js';
import { Metrics } from '../metrics/index.js';
import { errorMessage, MinikError } from '../core/errors.js';
import { checkHome } from '../core/home.js';
import { crashReport, keepServingOnErrors } from './crash.js';
import { Platform } from '../deploy/platform.js';
import { sparesSettled } from '../buildpacks/index.js';
import { GitRepos } from '../git/repos.js';
import { Router } from '../router/index.js';
import { Store } from '../store/index.js';
import { LogHub, Supervisor } from '../supervisor/index.js';
import { settingsFromEnv } from './settings.js';
import { startHttps } from './https.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

async function main(): Promise<void> {
  const settings = settingsFromEnv(process.env);
  const home = settings.home;
  process.umask(0o077);
  mkdirSync(home, { recursive: true, mode: 0o700 });
  checkHome(home);
  const socket = join(home, 'minikd.sock');
  await refuseSecondDaemon(socket);

  const store = new Store(join(home, 'minik.db'));
  const logs = new LogHub(join(home, 'logs'));
  const supervisor = new Supervisor({ logs, backoff: settings.backoff, home, ports: settings.dynoPorts });
  const metrics = new Metrics({ store, supervisor, logs, sampleEveryMs: settings.metricsSampleMs });
  const router = new Router({
    port: settings.routerPort,
    onLog: (app, message) => app && logs.write(app, 'minik', 'router', message),
    onRequest: metrics.onRequest,
  });
  await router.listen();
  // One CertStore per daemon: the router's leaves and the Postgres add-ons' certificates come from one CA, created once.
  const certs = new CertStore(home);
  const https = await startHttps(router, certs, settings.httpsPort, (line) => console.error(`${new Date().toISOString()} ${line}`));
  settings.httpsPort = https.port;
  const repos = new GitRepos({ home, node: process.execPath, cli: fileURLToPath(new URL('../../bin/minik', import.meta.url)) });
  const platform = new Platform({ store, supervisor, logs, router, settings, repos });
  const addons = new Addons(platform, { ...settings, ports: parsePortRange(process.env.MINIK_ADDON_PORTS), certs });
  platform.configGuards.push((app, keys) => addons.guardConfig(app, keys));
  platform.destroyHooks.push((app) => addons.destroyForApp(app));
  platform.restoreGates.push((app) => addons.whenAppReady(app));
  const drains = new DrainManager(store, logs);
  const autoscaler = new Autoscaler(platform, metrics, settings.autoscaleIntervalMs);
  const dashboard = new Dashboard({ platform, metrics, autoscaler, addons, port: settings.dashboardPort });
  // Why: a busy dashboard port (a second MINIK_HOME's daemon) must not keep apps from running; `minik dashboard` says why.
  await dashboard.listen().catch((err: Error) => console.error(`${new Date().toISOString()} dashboard not started: ${err.message}`));

  let stopping: Promise<void> | null = null;
  const shutdown = (why: string) => (stopping ??= (async () => {
    console.log(`${new Date().toISOString()} minikd stopping (${why})`);
    try {
      api.close();
      dashboard.close();
      autoscaler.stop();
      drains.close();
      await platform.shutdown();
      await sparesSettled(); // a dependency tree being linked for the next build (a `cp`, ~50 ms)
      await addons.shutdown();
      metrics.stop();
      await router.close();
    } catch (err) {
      console.error(crashReport('error while stopping', err).trimEnd()); // stop anyway: the user asked for it
    }
    await logs.close(); // the dynos' last lines ("Process exited with status 0") are still in the batch
    store.close();
    try { unlinkSync(socket); } catch { /* already gone */ }
    console.log(`${new Date().toISOString()} minikd stopped`);
    // Why exit here: a dyno's descendant that escaped its group may still hold an inherited pipe, or a client a
    // keep-alive socket; a stopped daemon must end all the same, and everything it owns is closed above.
    // eslint-disable-next-line no-restricted-properties
    process.exit(0);
  })());

  const api = createApiServer(platform, {
    version: VERSION, socket, port: settings.routerPort, home, startedAt: Date.now(),
    stop: () => void shutdown('minik daemon stop'),
  }, { metrics, drains, autoscaler, dashboardLogin: () => dashboard.loginUrl() }, [...addonRoutes(addons), ...certRoutes(https.report)]);
  await new Promise<void>((resolve, reject) => api.once('error', reject).listen(socket, resolve));
  keepServingOnErrors(); // from here on an unexpected error is logged, not fatal (start-up errors above still are)
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGHUP', () => void shutdown('SIGHUP'));
  console.log(`${new Date().toISOString()} minikd ${VERSION} pid ${process.pid} on ${socket}, router on http://127.0.0.1:${settings.routerPort}${https.port ? ` and https://127.0.0.1:${https.port}` : ''}`);
  // Both start in this turn, before any request is read: a command waits for its app's recovery and its add-on's
  // readiness, and each app's dynos start once the add-ons they use accept queries (restoreGates), not before.
  const addonsRestored = addons.restore();
  await platform.restore();
  await addonsRestored;
  metrics.start();
  drains.start();
  autoscaler.start();
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
  // Why exit: start-up failed part-way, and what was already opened (the router's port) must not keep a daemon
  // that cannot serve alive.
  // eslint-disable-next-line no-restricted-properties
  process.exit(2);
});
