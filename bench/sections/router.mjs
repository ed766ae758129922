// (a) Router throughput and latency at 50 connections, on a quiet machine and on a busy one (issue 18: one
// CPU-bound process per core), side by side: direct vs nginx (Dokku-style) vs a bare Node.js TCP relay (the floor
// any Node.js proxy starts from) vs the idiomatic smallest node:http proxy vs minik. Each proxy and its app share
// core 0; wrk runs on core 1. Besides requests per second, each run records the CPU time per request of the proxy
// and of the app behind it (from /proc), which the machine's load disturbs far less than throughput.
import { runWrk } from '../lib/wrk.mjs';
import { startLoad } from '../lib/load.mjs';
import { cpuTicks, groupPids, treePids } from '../lib/proc.mjs';
import { column, paired, summary } from '../lib/stats.mjs';
import { fmt, meets, naRow, noiseOf } from '../lib/table.mjs';

export const name = 'router';
const NAMES = ['direct', 'nginx', 'relay', 'node-proxy', 'minik'];
const LABEL = { nginx: 'nginx', relay: 'bare Node relay', 'node-proxy': 'node:http proxy' };
/** Issue 18's goal: minik at half of direct, as nginx gets here. */
const GOAL = 0.5;
const PHASES = [
  { key: 'quiet', label: '', skip: [] },
  { key: 'busy', label: ', busy machine', skip: ['node-proxy'] }, // node-proxy is far behind already; its rounds cost time
];

/** Interleaved rounds: in each, every target quiet, then every target with the machine busy. */
export async function run(ctx) {
  const targets = await ctx.targets({ nginx: true, relay: true, nodeProxy: true });
  const procs = Object.fromEntries(await Promise.all(targets.map(async (t) => [t.name, await processesOf(ctx, t.name)])));
  const samples = Object.fromEntries(PHASES.map((p) => [p.key, Object.fromEntries(targets.map((t) => [t.name, []]))]));
  const errors = {};
  for (const t of targets) await runWrk(t.url, { host: t.host, duration: '1s', cpu: 1 }).catch(() => {}); // warm-up
  for (let round = 1; round <= ctx.rounds; round++) {
    for (const phase of PHASES) {
      const stopLoad = phase.key === 'busy' ? startLoad() : null;
      try {
        for (const t of rotate(targets.filter((x) => !phase.skip.includes(x.name)), round)) {
          ctx.progress(`router: round ${round}/${ctx.rounds}, ${phase.key}, ${t.name}`);
          try { samples[phase.key][t.name][round - 1] = await measure(t, procs[t.name], ctx.duration); }
          catch (e) { errors[t.name] = e.message; }
        }
      } finally { await stopLoad?.(); }
    }
  }
  ctx.afterLoad = true;
  const why = (t) => `${t}: ${errors[t] ?? ctx.missing[t] ?? 'no sample'}`;
  const rows = [];
  for (const phase of PHASES) rows.push(...throughputRows(samples[phase.key], phase, why));
  rows.push(...cpuRows(samples.quiet), ...latencyRows(samples.quiet, why));
  return { rows, raw: { samples, errors, missing: ctx.missing, procs } };
}

/** The targets in a different order each round, so a drift within a round does not always fall on the same target. */
function rotate(list, round) {
  const k = round % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

/** The pids whose CPU time a run of `target` charges: the proxy's own, and the app's behind it. */
async function processesOf(ctx, target) {
  const backend = (await ctx.backend()).child.pid;
  if (target === 'direct') return { proxy: [], app: [backend] };
  if (target === 'minik') {
    const m = ctx.minikInstance;
    const dynos = (await m.dynos('node-hello')).flatMap((d) => (d.pid ? groupPids(d.pid) : []));
    return { proxy: [m.pid], app: dynos };
  }
  const ref = target === 'nginx' ? await ctx.nginx() : target === 'relay' ? await ctx.relay() : await ctx.nodeProxy();
  return { proxy: treePids(ref.child.pid), app: [backend] };
}

/** One wrk run (pinned to core 1) with the CPU µs per request of the proxy and of the app. */
async function measure(t, procs, duration) {
  const before = [cpuTicks(procs.proxy), cpuTicks(procs.app)];
  const r = await runWrk(t.url, { host: t.host, duration, connections: 50, cpu: 1 });
  const perRequest = (ticks) => (ticks * 10_000) / r.requests; // a tick is 10 ms = 10,000 µs
  return { ...r, proxyUs: perRequest(cpuTicks(procs.proxy) - before[0]), appUs: perRequest(cpuTicks(procs.app) - before[1]) };
}

const values = (s, t, key) => column(s[t], key);
/** Per-round ratios (a over b in the same round), then their summary. */
const ratio = (s, a, b, key) => summary(paired(values(s, a, key), values(s, b, key), (x, y) => x / y));
const series = (s, key) => Object.fromEntries(NAMES.map((t) => [t, summary(values(s, t, key))]));
/** "direct … · nginx … · minik …" for the series that have samples. */
const noise = (ser, format) => NAMES.filter((t) => ser[t].n).map((t) => noiseOf(t, ser[t], format)).join(' · ');

/** minik/direct against the goal, then nginx, the bare relay and node:http proxy over direct, for one phase. */
function throughputRows(s, phase, why) {
  const rps = series(s, 'rps');
  const M = `throughput, 50 conns${phase.label}: minik/direct`;
  const r = ratio(s, 'minik', 'direct', 'rps');
  const rows = [r.n
    ? { metric: M, minik: fmt.rps(rps.minik.median), reference: `direct ${fmt.rps(rps.direct.median)}`, ratio: fmt.ratio(r.median),
      goal: `≥ ${GOAL}×`, ok: meets(r.median, '>=', GOAL), noise: [noiseOf('minik/direct per round', r, fmt.ratio), noise(rps, fmt.rps)].join(' · ') }
    : naRow(M, why(rps.direct.n ? 'minik' : 'direct'), `≥ ${GOAL}×`)];
  for (const t of ['nginx', 'relay', 'node-proxy']) {
    if (phase.skip.includes(t)) continue;
    const metric = `throughput, 50 conns${phase.label}: ${LABEL[t]}/direct (${t === 'relay' ? 'floor' : 'reference'})`;
    const q = ratio(s, t, 'direct', 'rps');
    rows.push(q.n ? { metric, minik: '—', reference: `${t} ${fmt.rps(rps[t].median)}`, ratio: fmt.ratio(q.median), goal: '', ok: 'info',
      noise: noiseOf(`${t}/direct per round`, q, fmt.ratio) } : naRow(metric, why(rps.direct.n ? t : 'direct')));
  }
  return rows;
}

/** CPU µs per request on the quiet machine: minik's router against nginx and the bare relay; the app's share behind each. */
function cpuRows(s) {
  const proxy = series(s, 'proxyUs'), app = series(s, 'appUs');
  const us = (x) => (Number.isFinite(x) ? `${x.toFixed(1)} µs` : 'n/a');
  if (!proxy.minik.n) return [];
  const rows = [{ metric: 'proxy CPU per request: minik router/bare relay', minik: us(proxy.minik.median), reference: `relay ${us(proxy.relay.median)}`,
    ratio: proxy.relay.n ? fmt.ratio(ratio(s, 'minik', 'relay', 'proxyUs').median) : '', goal: '', ok: 'info',
    noise: ['minik', 'nginx', 'relay', 'node-proxy'].filter((t) => proxy[t].n).map((t) => noiseOf(t, proxy[t], us)).join(' · ') }];
  rows.push({ metric: 'app CPU per request: dyno behind minik/app direct', minik: us(app.minik.median), reference: `direct ${us(app.direct.median)}`,
    ratio: app.direct.n ? fmt.ratio(ratio(s, 'minik', 'direct', 'appUs').median) : '', goal: '', ok: 'info',
    noise: NAMES.filter((t) => app[t].n).map((t) => noiseOf(`behind ${t}`, app[t], us)).join(' · ') });
  return rows;
}

/** minik p99 / nginx p99 (goal ≤ 3×), and p50 for information, on the quiet machine. */
function latencyRows(s, why) {
  const p50 = series(s, 'p50Ms'), p99 = series(s, 'p99Ms');
  const M = 'p99 latency, 50 conns: minik/nginx';
  const r99 = ratio(s, 'minik', 'nginx', 'p99Ms'), r50 = ratio(s, 'minik', 'nginx', 'p50Ms');
  if (!r99.n) return [naRow(M, why(p99.minik.n ? 'nginx' : 'minik'), '≤ 3×')];
  return [
    { metric: M, minik: fmt.ms(p99.minik.median), reference: `nginx ${fmt.ms(p99.nginx.median)}`, ratio: fmt.ratio(r99.median),
      goal: '≤ 3×', ok: meets(r99.median, '<=', 3), noise: [noiseOf('minik/nginx per round', r99, fmt.ratio), noise(p99, fmt.ms)].join(' · ') },
    { metric: 'p50 latency, 50 conns: minik/nginx', minik: fmt.ms(p50.minik.median), reference: `nginx ${fmt.ms(p50.nginx.median)}`,
      ratio: fmt.ratio(r50.median), goal: '', ok: 'info', noise: noise(p50, fmt.ms) },
  ];
}
