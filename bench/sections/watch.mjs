// (g) Watch vs nodemon: `minik up --watch` (served through the router, preboot swap) and nodemon (on its own
// port, stop-then-start) on two copies of the same app, under the same small constant load: the issue's
// no-dependency app (the goal), and an Express app (fixtures/node-express: a real dependency tree that minik's
// build restores from its cache on every redeploy while nodemon just restarts). Rounds are interleaved (the
// order alternates), each makes the same edit to server.js and measures the time from the write to the first
// response with the new content, and counts the requests that failed during the swap (connection refused or
// reset, timeout, 5xx): minik's must be 0. MINIK_BENCH_WATCH=node-hello (or node-express) runs one of the two.
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { freePort, run as runCmd, startBg, stopBg, sleep } from '../lib/proc.mjs';
import { waitHttp } from '../lib/http.mjs';
import { summary } from '../lib/stats.mjs';
import { fmt, meets, naRow, noiseOf } from '../lib/table.mjs';

export const name = 'watch';
const METRIC = 'watch vs nodemon: edit → served';
const FAILED = 'watch vs nodemon: failed requests in swaps';
const APP = 'bench-watch';
const EDITS = 30;       // per target: both medians move by a few ms from run to run, and the goal is a ratio near 1
const CLIENTS = 2;        // concurrent request loops per target…
const PAUSE_MS = 10;      // …each pausing this long between requests: ~150 req/s per target
const AFTER_MS = 400;     // a swap's window lasts until this long after the new content is first served

/** A server.js answering `token` (dynamic import: works whether the fixture is CommonJS or ESM). */
const serverJs = (token) => `// written by bench/sections/watch.mjs
import('node:http').then(({ default: http }) => {
  http.createServer((req, res) => res.end(${JSON.stringify(token)})).listen(Number(process.env.PORT));
});
`;

/** The same for the Express app: its dependencies are loaded on every start, as a real app's are. */
const expressJs = (token) => `// written by bench/sections/watch.mjs
import('express').then(({ default: express }) => {
  express().get('/', (req, res) => res.send(${JSON.stringify(token)})).listen(Number(process.env.PORT));
});
`;

/** One GET on a fresh connection; resolves {ok, body}, never rejects. */
function probe(url, host) {
  return new Promise((resolve) => {
    const req = http.get(url, { headers: host ? { host } : {}, agent: false, timeout: 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ ok: res.statusCode < 500, body }));
      res.on('error', () => resolve({ ok: false, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ ok: false, body: '' }));
  });
}

/** A constant load on one target: counts failures, and tells when a token is first served. */
function startLoad(url, host) {
  const load = { failed: 0, requests: 0, stopped: false, waiting: null };
  const loop = async () => {
    while (!load.stopped) {
      const r = await probe(url, host);
      load.requests++;
      if (!r.ok) load.failed++;
      if (load.waiting && r.ok && r.body.includes(load.waiting.token)) { load.waiting.resolve(performance.now()); load.waiting = null; }
      await sleep(PAUSE_MS);
    }
  };
  // The loops start PAUSE_MS / CLIENTS apart: spread over the pause, they see a new dyno sooner and more evenly.
  load.done = Promise.all(Array.from({ length: CLIENTS }, (_, i) => sleep((i * PAUSE_MS) / CLIENTS).then(loop)));
  /** Resolves the time `token` is first served (rejects after `timeoutMs`). */
  load.until = (token, timeoutMs = 60_000) => new Promise((resolve, reject) => {
    const t = setTimeout(() => { load.waiting = null; reject(new Error(`'${token}' not served ${timeoutMs / 1000} s after the edit`)); }, timeoutMs);
    load.waiting = { token, resolve: (at) => { clearTimeout(t); resolve(at); } };
  });
  return load;
}

/** One swap: writes `token` into the target's server.js; resolves {ms, failed}. */
async function swap(target, token, serverJs) {
  const failedBefore = target.load.failed;
  const served = target.load.until(token);
  const t0 = performance.now();
  writeFileSync(join(target.dir, 'server.js'), serverJs(token));
  const ms = (await served) - t0;
  await sleep(AFTER_MS);
  return { ms, failed: target.load.failed - failedBefore };
}

/** The apps watched: the issue's no-dependency app, and an Express app as Heroku's getting-started apps are. */
const SCENARIOS = [
  { fixture: 'node-hello', app: APP, label: 'no-dependency app', goal: true, serverJs },
  { fixture: 'node-express', app: `${APP}-express`, label: 'Express app, 71 packages', goal: false, serverJs: expressJs, install: true },
];

/** Runs every scenario in turn; its rows, or one n/a row saying why the section could not run. */
export async function run(ctx) {
  const nodemonBin = join(ctx.root, 'node_modules/nodemon/bin/nodemon.js');
  if (!existsSync(nodemonBin)) return { rows: [naRow(METRIC, 'nodemon is not installed (npm install)')], raw: {} };
  let mk;
  try { mk = await ctx.minik(); } catch (e) { return { rows: [naRow(METRIC, e.message)], raw: { error: e.message } }; }
  await ctx.pinMinik(false);
  const rows = [];
  const raw = {};
  for (const sc of SCENARIOS.filter((x) => !process.env.MINIK_BENCH_WATCH || x.fixture === process.env.MINIK_BENCH_WATCH)) {
    const r = await runScenario(ctx, mk, nodemonBin, sc);
    rows.push(...r.rows);
    raw[sc.fixture] = r.raw;
  }
  return { rows, raw };
}

/** Starts both watchers on copies of the scenario's app, runs the interleaved rounds, stops everything it started. */
async function runScenario(ctx, mk, nodemonBin, sc) {
  const metric = `${METRIC} (${sc.label})`;
  const failedMetric = `${FAILED} (${sc.label})`;
  if (!existsSync(join(ctx.root, 'fixtures', sc.fixture))) return { rows: [naRow(metric, `fixtures/${sc.fixture} does not exist`)], raw: {} };
  const copy = (what) => {
    const dir = join(ctx.tmp, 'apps', `${sc.app}-${what}`);
    cpSync(join(ctx.root, 'fixtures', sc.fixture), dir, { recursive: true });
    writeFileSync(join(dir, 'server.js'), sc.serverJs(`${what}-0`));
    return dir;
  };
  const minik = { name: 'minik', dir: copy('minik'), url: `${mk.m.routerUrl}/`, host: `${sc.app}.localhost`, log: join(ctx.tmp, `watch-${sc.fixture}-minik.log`) };
  const port = await freePort();
  const nodemon = { name: 'nodemon', dir: copy('nodemon'), url: `http://127.0.0.1:${port}/`, host: undefined, log: join(ctx.tmp, `watch-${sc.fixture}-nodemon.log`) };
  if (sc.install) {
    ctx.progress(`watch: npm ci for nodemon's copy of ${sc.fixture}`);
    const r = await runCmd('npm', ['ci', '--no-audit', '--no-fund'], { cwd: nodemon.dir, timeoutMs: 300_000 });
    if (r.code !== 0) return { rows: [naRow(metric, `npm ci failed in nodemon's copy: ${r.stderr.trim().split('\n').pop()}`)], raw: {} };
  }
  minik.child = startBg(process.execPath, [join(ctx.root, 'bin/minik'), 'up', '--watch', minik.dir, '--name', sc.app],
    { env: mk.m.env(), cwd: ctx.root, logFile: minik.log });
  nodemon.child = startBg(process.execPath, [nodemonBin, 'server.js'], { env: { ...process.env, PORT: String(port) }, cwd: nodemon.dir, logFile: nodemon.log });
  const targets = [minik, nodemon];
  const res = { minik: { times: [], failed: [] }, nodemon: { times: [], failed: [] } };
  try {
    ctx.progress(`watch ${sc.fixture}: first deploy, nodemon start`);
    for (const t of targets) await waitHttp(t.url, { host: t.host, bodyIncludes: `${t.name}-0`, timeoutMs: 300_000, child: t.child, intervalMs: 100 });
    await sleep(1000); // the first `up` says "Watching…" only once chokidar is ready
    for (const t of targets) t.load = startLoad(t.url, t.host);
    for (let i = 1; i <= EDITS; i++) {
      ctx.progress(`watch ${sc.fixture}: round ${i}/${EDITS}`);
      for (const t of i % 2 ? targets : [...targets].reverse()) {
        const r = await swap(t, `${t.name}-${i}`, sc.serverJs);
        res[t.name].times.push(r.ms);
        res[t.name].failed.push(r.failed);
      }
    }
  } catch (e) {
    const said = (t) => readFileSync(t.log, 'utf8').trim().split('\n').slice(-3).join(' / ') || '(nothing)';
    return { rows: [naRow(metric, `${e.message}; minik said: ${said(minik)}; nodemon said: ${said(nodemon)}`)], raw: { ...res, error: e.message } };
  } finally {
    for (const t of targets) if (t.load) t.load.stopped = true;
    await Promise.all(targets.map((t) => t.load?.done));
    await mk.m.dynos(sc.app).catch(() => {});
    await Promise.all([stopBg(minik.child, 'SIGINT', 10_000), stopBg(nodemon.child, 'SIGTERM', 5000)]);
    await mk.m.api('DELETE', `/apps/${sc.app}`).catch(() => {}); // its dynos stop competing for the CPU
  }
  const s = summary(res.minik.times);
  const n = summary(res.nodemon.times);
  const sum = (xs) => xs.reduce((a, b) => a + b, 0);
  const ratio = s.median / n.median;
  const failedMinik = sum(res.minik.failed);
  const failedNodemon = sum(res.nodemon.failed);
  const requests = targets.map((t) => `${t.name} ${t.load.requests} requests, ${t.load.failed} failed in all`).join('; ');
  const ms = (x) => fmt.ms(x, 1);
  return {
    raw: { ...res, requests },
    rows: [
      { metric, minik: ms(s.median), reference: `nodemon ${ms(n.median)}`, ratio: fmt.ratio(ratio),
        goal: sc.goal ? '≤ 1.00×' : '', ok: sc.goal ? meets(ratio, '<=', 1) : 'info', noise: `${noiseOf(`minik, ${EDITS} edits`, s, ms)}; ${noiseOf('nodemon', n, ms)}` },
      { metric: failedMetric, minik: `${failedMinik} in ${EDITS} swaps`, reference: `nodemon ${failedNodemon}`, ratio: '',
        goal: 'minik 0', ok: failedMinik === 0, note: `${CLIENTS}×${PAUSE_MS} ms request loops per target, fresh connection each; ${requests}` },
    ],
  };
}
