// (b) Latency minik adds at one connection: p50 through the router minus p50 direct, with three references
// measured in the same rounds: nginx configured as Dokku configures it, the idiomatic smallest node:http proxy,
// and a bare Node.js TCP relay (no HTTP at all: the least any Node.js process in the path adds here).
import { runWrk } from '../lib/wrk.mjs';
import { column, paired, summary } from '../lib/stats.mjs';
import { fmt, meets, naRow, noiseOf } from '../lib/table.mjs';

export const name = 'latency';
const METRIC = 'added p50 latency, 1 conn (minik − direct)';

/** Interleaved `wrk -c1 -t1` rounds: direct, the references, minik. */
export async function run(ctx) {
  const targets = await ctx.targets({ nginx: true, relay: true, nodeProxy: true });
  const samples = Object.fromEntries(targets.map((t) => [t.name, []]));
  const errors = {};
  for (const t of targets) { // warm-up: a burst gets the JIT to its steady state, then one connection
    await runWrk(t.url, { host: t.host, duration: '2s', connections: 50, cpu: 1 }).catch(() => {});
    await runWrk(t.url, { host: t.host, duration: '1s', connections: 1, cpu: 1 }).catch(() => {});
  }
  for (let round = 1; round <= ctx.rounds; round++) {
    for (const t of targets) {
      ctx.progress(`latency: round ${round}/${ctx.rounds}, ${t.name}`);
      try { samples[t.name][round - 1] = await runWrk(t.url, { host: t.host, duration: ctx.duration, connections: 1, cpu: 1 }); }
      catch (e) { errors[t.name] = e.message; }
    }
  }
  const raw = { samples, errors, missing: ctx.missing };
  const p50 = (t) => column(samples[t], 'p50Ms');
  const direct = summary(p50('direct'));
  const minik = summary(p50('minik'));
  if (!direct.n || !minik.n) {
    const rows = [naRow(METRIC, errors.minik ?? errors.direct ?? ctx.missing.minik ?? 'no sample', '≤ +0.100 ms')];
    if (direct.n) rows.push({ metric: 'p50 latency, 1 conn: direct (reference)', minik: '—', reference: `direct ${fmt.ms(direct.median)}`,
      ratio: '', goal: '', ok: 'info', noise: noiseOf('direct p50', direct, fmt.ms) });
    return { rows, raw };
  }
  // What each proxy adds: the median over rounds of (its p50 − direct's p50 in the same round).
  const addedBy = (t) => summary(paired(p50(t), p50('direct'), (x, d) => x - d));
  const added = addedBy('minik');
  const rows = [{ metric: METRIC, minik: fmt.signedMs(added.median), reference: `p50 direct ${fmt.ms(direct.median)}, minik ${fmt.ms(minik.median)}`,
    ratio: fmt.ratio(minik.median / direct.median), goal: '≤ +0.100 ms', ok: meets(added.median, '<=', 0.1),
    noise: [noiseOf('minik − direct per round', added, fmt.signedMs), noiseOf('direct p50', direct, fmt.ms),
      ...['nginx', 'node-proxy', 'relay'].filter((t) => samples[t]?.length).map((t) => noiseOf(`${t} p50`, summary(p50(t)), fmt.ms)),
      noiseOf('minik p50', minik, fmt.ms)].join(' · ') }];
  for (const [t, label] of [['nginx', 'nginx − direct (reference)'], ['node-proxy', 'node:http proxy − direct (reference)'],
    ['relay', 'bare Node relay − direct (floor)']]) {
    const metric = `added p50 latency, 1 conn: ${label}`;
    const a = addedBy(t);
    rows.push(a.n
      ? { metric, minik: '—', reference: `p50 ${t} ${fmt.ms(summary(p50(t)).median)}`, ratio: fmt.signedMs(a.median), goal: '', ok: 'info' }
      : naRow(metric, `${t}: ${errors[t] ?? ctx.missing[t] ?? 'no sample'}`));
  }
  return { raw, rows };
}
