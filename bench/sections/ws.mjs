// (c) WebSocket echo: N sequential round-trips direct to the fixture's /ws vs through the router, with two
// references measured in the same rounds: nginx configured as Dokku configures it, and a bare Node.js TCP
// relay (the least any Node.js process can add: no HTTP, no logging), both pinned like the router.
import { fileURLToPath } from 'node:url';
import { run as runCmd } from '../lib/proc.mjs';
import { column, paired, summary } from '../lib/stats.mjs';
import { fmt, meets, naRow, noiseOf } from '../lib/table.mjs';

export const name = 'ws';
const METRIC = 'websocket echo ×2000: minik/direct time';
const REFERENCES = { nginx: 'websocket echo ×2000: nginx/direct (reference)', relay: 'websocket echo ×2000: bare Node relay/direct (floor)' };
const CLIENT = fileURLToPath(new URL('../lib/ws-echo.mjs', import.meta.url));
const N = 2000;

/** One client run pinned to core 1; resolves its time in ms or throws its error. */
async function echo(t, n = N) {
  const r = await runCmd(process.execPath, [CLIENT, t.url.replace(/^http/, 'ws') + 'ws', t.host ?? '-', String(n)], { cpu: 1, timeoutMs: 90_000 });
  if (r.code !== 0) throw new Error(r.stderr.trim().split('\n').pop() || `client exited ${r.code}`);
  return JSON.parse(r.stdout).ms;
}

/** Interleaved rounds over direct, nginx, the bare relay and minik. */
export async function run(ctx) {
  const targets = await ctx.targets({ nginx: true, relay: true });
  const raw = { samples: {}, errors: {}, missing: ctx.missing };
  const backend = await ctx.backend();
  if (!backend.fixture) return { rows: [naRow(METRIC, 'fixtures/node-hello/server.js does not exist yet (the stand-in has no /ws)', '≤ 1.3×')], raw };
  const usable = [];
  for (const t of targets) {
    try { await echo(t, 200); usable.push(t); raw.samples[t.name] = []; } catch (e) { raw.errors[t.name] = e.message; } // also the warm-up
  }
  const rounds = ctx.rounds * 3; // a run takes about half a second: more rounds, less noise, for little time
  for (let round = 1; round <= rounds; round++) {
    for (const t of usable) {
      ctx.progress(`ws: round ${round}/${rounds}, ${t.name}`);
      try { raw.samples[t.name][round - 1] = await echo(t); } catch (e) { raw.errors[t.name] = e.message; }
    }
  }
  const ms = (t) => column(raw.samples[t]);
  const s = Object.fromEntries(['direct', 'nginx', 'relay', 'minik'].map((t) => [t, summary(ms(t))]));
  // Each target's time over direct's in the same round, then the median over rounds.
  const ratioOf = (t) => summary(paired(ms(t), ms('direct'), (x, d) => x / d));
  const why = (t) => `${t}: ${raw.errors[t] ?? ctx.missing[t] ?? 'no sample'}`;
  const ms0 = (x) => fmt.ms(x, 0);
  const rows = [];
  if (s.direct.n && s.minik.n) {
    const ratio = ratioOf('minik');
    rows.push({ metric: METRIC, minik: ms0(s.minik.median), reference: `direct ${ms0(s.direct.median)}`, ratio: fmt.ratio(ratio.median),
      goal: '≤ 1.3×', ok: meets(ratio.median, '<=', 1.3),
      noise: [noiseOf('minik/direct per round', ratio, fmt.ratio),
        ...['direct', 'nginx', 'relay', 'minik'].filter((t) => s[t].n).map((t) => noiseOf(t, s[t], ms0))].join(' · ') });
  } else rows.push(naRow(METRIC, why(s.direct.n ? 'minik' : 'direct'), '≤ 1.3×'));
  for (const [t, metric] of Object.entries(REFERENCES)) {
    if (ratioOf(t).n) {
      rows.push({ metric, minik: '—', reference: `${t} ${ms0(s[t].median)}`, ratio: fmt.ratio(ratioOf(t).median), goal: '', ok: 'info' });
    } else rows.push(naRow(metric, why(s.direct.n ? t : 'direct')));
  }
  return { raw, rows };
}
