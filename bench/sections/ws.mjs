// (c) WebSocket echo: N sequential round-trips direct to the fixture's /ws vs through the router.
import { fileURLToPath } from 'node:url';
import { run as runCmd } from '../lib/proc.mjs';
import { summary } from '../lib/stats.mjs';
import { fmt, meets, naRow, noiseOf } from '../lib/table.mjs';

export const name = 'ws';
const METRIC = 'websocket echo ×2000: minik/direct time';
const CLIENT = fileURLToPath(new URL('../lib/ws-echo.mjs', import.meta.url));
const N = 2000;

/** One client run pinned to core 1; resolves its time in ms or throws its error. */
async function echo(t, n = N) {
  const r = await runCmd(process.execPath, [CLIENT, t.url.replace(/^http/, 'ws') + 'ws', t.host ?? '-', String(n)], { cpu: 1, timeoutMs: 90_000 });
  if (r.code !== 0) throw new Error(r.stderr.trim().split('\n').pop() || `client exited ${r.code}`);
  return JSON.parse(r.stdout).ms;
}

/** Interleaved rounds, direct then minik. */
export async function run(ctx) {
  const targets = await ctx.targets({ nginx: false });
  const raw = { samples: {}, errors: {}, missing: ctx.missing };
  const backend = await ctx.backend();
  if (!backend.fixture) return { rows: [naRow(METRIC, 'fixtures/node-hello/server.js does not exist yet (the stand-in has no /ws)', '≤ 1.3×')], raw };
  const usable = [];
  for (const t of targets) {
    try { await echo(t, 10); usable.push(t); raw.samples[t.name] = []; } catch (e) { raw.errors[t.name] = e.message; }
  }
  for (let round = 1; round <= ctx.rounds; round++) {
    for (const t of usable) {
      ctx.progress(`ws: round ${round}/${ctx.rounds}, ${t.name}`);
      try { raw.samples[t.name].push(await echo(t)); } catch (e) { raw.errors[t.name] = e.message; }
    }
  }
  const direct = summary(raw.samples.direct ?? []);
  const minik = summary(raw.samples.minik ?? []);
  if (!direct.n || !minik.n) {
    const why = !direct.n ? `direct: ${raw.errors.direct ?? 'no sample'}` : `minik: ${raw.errors.minik ?? ctx.missing.minik ?? 'no sample'}`;
    return { rows: [naRow(METRIC, why, '≤ 1.3×')], raw };
  }
  const ratio = minik.median / direct.median;
  return {
    raw,
    rows: [{ metric: METRIC, minik: fmt.ms(minik.median, 0), reference: `direct ${fmt.ms(direct.median, 0)}`, ratio: fmt.ratio(ratio),
      goal: '≤ 1.3×', ok: meets(ratio, '<=', 1.3),
      noise: [noiseOf('direct', direct, (x) => fmt.ms(x, 0)), noiseOf('minik', minik, (x) => fmt.ms(x, 0))].join(' · ') }],
  };
}
