// (g) The cost of metrics on the router's hot path: the same router process with the metrics hook on and off,
// side by side (interleaved wrk rounds, 50 connections, both pinned to core 0). Goal: on/off ≥ 0.97×.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdirSync } from 'node:fs';
import { runWrk } from '../lib/wrk.mjs';
import { column, paired, summary } from '../lib/stats.mjs';
import { fmt, meets, naRow, noiseOf } from '../lib/table.mjs';
import { freePort, startBg, stopBg } from '../lib/proc.mjs';
import { waitHttp } from '../lib/http.mjs';

export const name = 'metrics';
const METRIC = 'router throughput, metrics on/off';
const HOST = 'node-hello.localhost';

/** Starts one router process in mode on|off in front of the shared backend. */
async function start(ctx, mode, backendPort) {
  const port = await freePort();
  const home = join(ctx.tmp, `metrics-${mode}`);
  mkdirSync(home, { recursive: true });
  const script = fileURLToPath(new URL('../lib/metrics-router.mjs', import.meta.url));
  const child = startBg(process.execPath, [script, mode, String(port), String(backendPort), home], { cpu: 0, logFile: join(home, 'router.log') });
  await waitHttp(`http://127.0.0.1:${port}/`, { host: HOST, timeoutMs: 10_000, child });
  return { child, url: `http://127.0.0.1:${port}/` };
}

/** Interleaved rounds: off, on, off, on, … */
export async function run(ctx) {
  let b;
  try { b = await ctx.backend(); } catch (e) { return { rows: [naRow(METRIC, e.message, '≥ 0.97×')] }; }
  const targets = {};
  try {
    targets.off = await start(ctx, 'off', b.port);
    targets.on = await start(ctx, 'on', b.port);
    const samples = { off: [], on: [] };
    for (const t of ['off', 'on']) await runWrk(targets[t].url, { host: HOST, duration: '1s', cpu: 1 }).catch(() => {});
    for (let round = 1; round <= ctx.rounds; round++) {
      for (const t of ['off', 'on']) {
        ctx.progress(`metrics: round ${round}/${ctx.rounds}, metrics ${t}`);
        samples[t][round - 1] = await runWrk(targets[t].url, { host: HOST, duration: ctx.duration, connections: 50, cpu: 1 });
      }
    }
    const rps = (t) => column(samples[t], 'rps');
    const r = summary(paired(rps('on'), rps('off'), (x, y) => x / y));
    const on = summary(rps('on')), off = summary(rps('off'));
    return {
      rows: [{ metric: METRIC, minik: fmt.rps(on.median), reference: `off ${fmt.rps(off.median)}`, ratio: fmt.ratio(r.median),
        goal: '≥ 0.97×', ok: meets(r.median, '>=', 0.97),
        noise: [noiseOf('on/off per round', r, fmt.ratio), noiseOf('on', on, fmt.rps), noiseOf('off', off, fmt.rps)].join(' · ') }],
      raw: { samples },
    };
  } catch (e) {
    return { rows: [naRow(METRIC, e.message, '≥ 0.97×')] };
  } finally {
    for (const t of Object.values(targets)) await stopBg(t.child);
  }
}
