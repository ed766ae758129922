// (a) Router throughput and latency at 50 connections: direct vs nginx (Dokku-style) vs the idiomatic smallest
// node:http proxy vs minik.
import { runWrk } from '../lib/wrk.mjs';
import { column, paired, summary } from '../lib/stats.mjs';
import { fmt, meets, naRow, noiseOf } from '../lib/table.mjs';

export const name = 'router';
const NAMES = ['direct', 'nginx', 'node-proxy', 'minik'];

/** Interleaved wrk rounds (direct, nginx, node-proxy, minik, direct, …) over the targets that could be started. */
export async function run(ctx) {
  const targets = await ctx.targets({ nginx: true, nodeProxy: true });
  const samples = Object.fromEntries(targets.map((t) => [t.name, []]));
  const errors = {};
  for (const t of targets) await runWrk(t.url, { host: t.host, duration: '1s', cpu: 1 }).catch(() => {}); // warm-up
  for (let round = 1; round <= ctx.rounds; round++) {
    for (const t of targets) {
      ctx.progress(`router: round ${round}/${ctx.rounds}, ${t.name}`);
      try { samples[t.name][round - 1] = await runWrk(t.url, { host: t.host, duration: ctx.duration, connections: 50, cpu: 1 }); }
      catch (e) { errors[t.name] = e.message; }
    }
  }
  ctx.afterLoad = true;
  const values = (t, key) => column(samples[t], key);
  const series = (key) => Object.fromEntries(NAMES.map((t) => [t, summary(values(t, key))]));
  // Ratios are taken per round (a over b in the same round), then the median over rounds.
  const ratio = (a, b, key) => summary(paired(values(a, key), values(b, key), (x, y) => x / y));
  const why = (t) => `${t}: ${errors[t] ?? ctx.missing[t] ?? 'no sample'}`;
  return {
    rows: [...throughputRows(series('rps'), ratio, why), ...latencyRows(series('p50Ms'), series('p99Ms'), ratio, why)],
    raw: { samples, errors, missing: ctx.missing },
  };
}

/** "direct … · nginx … · minik …" for the series that have samples. */
const noise = (s, format) => NAMES.filter((t) => s[t].n).map((t) => noiseOf(t, s[t], format)).join(' · ');

/** minik/direct (goal ≥ 0.25×), and nginx/direct (about 0.5× on this machine) and node:http proxy/direct as references. */
function throughputRows(rps, ratio, why) {
  const rows = [];
  const M1 = 'throughput, 50 conns: minik/direct';
  const r1 = ratio('minik', 'direct', 'rps');
  if (r1.n) {
    rows.push({ metric: M1, minik: fmt.rps(rps.minik.median), reference: `direct ${fmt.rps(rps.direct.median)}`,
      ratio: fmt.ratio(r1.median), goal: '≥ 0.25×', ok: meets(r1.median, '>=', 0.25),
      noise: [noiseOf('minik/direct per round', r1, fmt.ratio), noise(rps, fmt.rps)].join(' · ') });
  } else rows.push(naRow(M1, why(rps.direct.n ? 'minik' : 'direct'), '≥ 0.25×'));
  for (const [t, metric, goal] of [['nginx', 'throughput, 50 conns: nginx/direct (reference)', '~0.5× here'],
    ['node-proxy', 'throughput, 50 conns: node:http proxy/direct (reference)', '']]) {
    const r = ratio(t, 'direct', 'rps');
    rows.push(r.n ? { metric, minik: '—', reference: `${t} ${fmt.rps(rps[t].median)}`, ratio: fmt.ratio(r.median), goal, ok: 'info',
      noise: t === 'nginx' && !rps.minik.n ? noise(rps, fmt.rps) : '' } : naRow(metric, why(rps.direct.n ? t : 'direct')));
  }
  return rows;
}

/** minik p99 / nginx p99 (goal ≤ 3×), and p50 for information. */
function latencyRows(p50, p99, ratio, why) {
  const M = 'p99 latency, 50 conns: minik/nginx';
  const r99 = ratio('minik', 'nginx', 'p99Ms'), r50 = ratio('minik', 'nginx', 'p50Ms');
  if (!r99.n) {
    const rows = [naRow(M, why(p99.minik.n ? 'nginx' : 'minik'), '≤ 3×')];
    if (p99.nginx.n) rows.push({ metric: 'p99 latency, 50 conns: nginx (reference)', minik: '—',
      reference: `nginx ${fmt.ms(p99.nginx.median)}`, ratio: '', goal: '', ok: 'info', noise: noise(p99, fmt.ms) });
    return rows;
  }
  return [
    { metric: M, minik: fmt.ms(p99.minik.median), reference: `nginx ${fmt.ms(p99.nginx.median)}`, ratio: fmt.ratio(r99.median),
      goal: '≤ 3×', ok: meets(r99.median, '<=', 3), noise: [noiseOf('minik/nginx per round', r99, fmt.ratio), noise(p99, fmt.ms)].join(' · ') },
    { metric: 'p50 latency, 50 conns: minik/nginx', minik: fmt.ms(p50.minik.median), reference: `nginx ${fmt.ms(p50.nginx.median)}`,
      ratio: fmt.ratio(r50.median), goal: '', ok: 'info', noise: noise(p50, fmt.ms) },
  ];
}
