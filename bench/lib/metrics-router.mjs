// `node metrics-router.mjs on|off LISTEN_PORT BACKEND_PORT HOME`: minik's router (from dist/) in front of the
// backend, with the metrics collector hooked in (on: counters per request, a batched SQLite write per second)
// or not (off). Both modes run this same script, so the two differ only by the hook.
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { Router, buildRouteTable } from '../../dist/router/index.js';
import { Metrics } from '../../dist/metrics/index.js';
import { Store } from '../../dist/store/index.js';

const [mode, listen, backend, home] = process.argv.slice(2);
let onRequest;
if (mode === 'on') {
  const store = new Store(join(home, `metrics-${process.pid}.db`));
  store.createApp('node-hello', home);
  const supervisor = Object.assign(new EventEmitter(), { list: () => [] });
  const metrics = new Metrics({ store, supervisor, logs: { write() {} } });
  metrics.start();
  onRequest = metrics.onRequest;
}
const router = new Router({ port: Number(listen), onLog: () => {}, onRequest });
router.setTable(buildRouteTable([{ name: 'node-hello', hosts: [], maintenance: false, hasRelease: true, web: [{ dyno: 'web.1', port: Number(backend), state: 'up' }] }]));
await router.listen();
process.on('SIGTERM', () => process.exit(0));
