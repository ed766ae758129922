// (a) Router throughput and latency at 50 connections: direct vs nginx (Dokku-style) vs minik.
import { runWrk } from '../lib/wrk.mjs';
import { summary } from '../lib/stats.mjs';
import { fmt, meets, naRow, noiseOf } from '../lib/table.mjs';

export const name = 'router';
const NAMES = ['direct', 'nginx', 'minik'];

/** Interleaved wrk rounds (direct, nginx, minik, direct, …) over the targets that could be started. */
export async function run(ctx) {
  const targets = await ctx.targets({ nginx: true });
  const samples = Object.fromEntries(targets.map((t) => [t.name, []]));
  const errors = {};
  for (const t of targets) await runWrk(t.url, { host: t.host, duration: '1s', cpu: 1 }).catch(() => {}); // warm-up
  for (let round = 1; round <= ctx.rounds; round++) {
    for (const t of targets) {
      ctx.progress(`router: round ${round}/${ctx.rounds}, ${t.name}`);
      try { samples[t.name].push(await runWrk(t.url, { host: t.host, duration: ctx.duration, connections: 50, cpu: 1 })); }
      catch (e) { errors[t.name] = e.message; }
    }
  }
  ctx.afterLoad = true;
  const series = (key) => Object.fromEntries(NAMES.map((t) => [t, summary((samples[t] ?? []).map((x) => x[key]))]));
  const why = (t) => `${t}: ${errors[t] ?? ctx.missing[t] ?? 'no sample'}`;
  return {
    rows: [...throughputRows(series('rps'), why), ...latencyRows(series('p50Ms'), series('p99Ms'), why)],
    raw: { samples, errors, missing: ctx.missing },
  };
}

/** "direct … · nginx … · minik …" for the series that have samples. */
const noise = (s, format) => NAMES.filter((t) => s[t].n).map((t) => noiseOf(t, s[t], format)).join(' · ');

/** minik/direct (goal ≥ 0.25×) and nginx/direct (the reference, about 0.5× on this machine). */
function throughputRows(rps, why) {
  const rows = [];
  const M1 = 'throughput, 50 conns: minik/direct', M2 = 'throughput, 50 conns: nginx/direct (reference)';
  if (rps.minik.n && rps.direct.n) {
    const ratio = rps.minik.median / rps.direct.median;
    rows.push({ metric: M1, minik: fmt.rps(rps.minik.median), reference: `direct ${fmt.rps(rps.direct.median)}`,
      ratio: fmt.ratio(ratio), goal: '≥ 0.25×', ok: meets(ratio, '>=', 0.25), noise: noise(rps, fmt.rps) });
  } else rows.push(naRow(M1, why(rps.direct.n ? 'minik' : 'direct'), '≥ 0.25×'));
  if (rps.nginx.n && rps.direct.n) {
    rows.push({ metric: M2, minik: '—', reference: `nginx ${fmt.rps(rps.nginx.median)}`,
      ratio: fmt.ratio(rps.nginx.median / rps.direct.median), goal: '~0.5× here', ok: 'info',
      noise: rps.minik.n ? '' : noise(rps, fmt.rps) });
  } else rows.push(naRow(M2, why(rps.direct.n ? 'nginx' : 'direct')));
  return rows;
}

/** minik p99 / nginx p99 (goal ≤ 3×), and p50 for information. */
function latencyRows(p50, p99, why) {
  const M = 'p99 latency, 50 conns: minik/nginx';
  if (!p99.minik.n || !p99.nginx.n) {
    const rows = [naRow(M, why(p99.minik.n ? 'nginx' : 'minik'), '≤ 3×')];
    if (p99.nginx.n) rows.push({ metric: 'p99 latency, 50 conns: nginx (reference)', minik: '—',
      reference: `nginx ${fmt.ms(p99.nginx.median)}`, ratio: '', goal: '', ok: 'info', noise: noise(p99, fmt.ms) });
    return rows;
  }
  const ratio = p99.minik.median / p99.nginx.median;
  return [
    { metric: M, minik: fmt.ms(p99.minik.median), reference: `nginx ${fmt.ms(p99.nginx.median)}`, ratio: fmt.ratio(ratio),
      goal: '≤ 3×', ok: meets(ratio, '<=', 3), noise: noise(p99, fmt.ms) },
    { metric: 'p50 latency, 50 conns: minik/nginx', minik: fmt.ms(p50.minik.median), reference: `nginx ${fmt.ms(p50.nginx.median)}`,
      ratio: fmt.ratio(p50.minik.median / p50.nginx.median), goal: '', ok: 'info', noise: noise(p50, fmt.ms) },
  ];
}
