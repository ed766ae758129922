// (b) Latency minik adds at one connection: p50 through the router minus p50 direct.
import { runWrk } from '../lib/wrk.mjs';
import { summary } from '../lib/stats.mjs';
import { fmt, meets, naRow, noiseOf } from '../lib/table.mjs';

export const name = 'latency';
const METRIC = 'added p50 latency, 1 conn (minik − direct)';

/** Interleaved `wrk -c1 -t1` rounds, direct then minik. */
export async function run(ctx) {
  const targets = await ctx.targets({ nginx: false });
  const samples = Object.fromEntries(targets.map((t) => [t.name, []]));
  const errors = {};
  for (const t of targets) await runWrk(t.url, { host: t.host, duration: '1s', connections: 1, cpu: 1 }).catch(() => {});
  for (let round = 1; round <= ctx.rounds; round++) {
    for (const t of targets) {
      ctx.progress(`latency: round ${round}/${ctx.rounds}, ${t.name}`);
      try { samples[t.name].push(await runWrk(t.url, { host: t.host, duration: ctx.duration, connections: 1, cpu: 1 })); }
      catch (e) { errors[t.name] = e.message; }
    }
  }
  const raw = { samples, errors, missing: ctx.missing };
  const direct = summary((samples.direct ?? []).map((x) => x.p50Ms));
  const minik = summary((samples.minik ?? []).map((x) => x.p50Ms));
  if (!direct.n || !minik.n) {
    const rows = [naRow(METRIC, errors.minik ?? errors.direct ?? ctx.missing.minik ?? 'no sample', '≤ +0.100 ms')];
    if (direct.n) rows.push({ metric: 'p50 latency, 1 conn: direct (reference)', minik: '—', reference: `direct ${fmt.ms(direct.median)}`,
      ratio: '', goal: '', ok: 'info', noise: noiseOf('direct p50', direct, fmt.ms) });
    return { rows, raw };
  }
  const added = minik.median - direct.median;
  return {
    raw,
    rows: [{ metric: METRIC, minik: fmt.signedMs(added), reference: `p50 direct ${fmt.ms(direct.median)}, minik ${fmt.ms(minik.median)}`,
      ratio: fmt.ratio(minik.median / direct.median), goal: '≤ +0.100 ms', ok: meets(added, '<=', 0.1),
      noise: [noiseOf('direct p50', direct, fmt.ms), noiseOf('minik p50', minik, fmt.ms)].join(' · ') }],
  };
}
