// (e) CLI: `minik ps` start-up cost against bare `node -e 0` (hyperfine), and `minik scale web=10`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run as runCmd, which } from '../lib/proc.mjs';
import { summary } from '../lib/stats.mjs';
import { fmt, meets, naRow, noiseOf } from '../lib/table.mjs';

export const name = 'cli';
const PS = 'minik ps: time vs node -e 0';

/** hyperfine of `node bin/minik ps -a APP` vs `node -e 0` (medians); one row. */
async function psVsNode(ctx, mk) {
  if (!which('hyperfine')) return { row: naRow(PS, 'hyperfine is not installed (bash scripts/install-tools.sh)', '≤ 2×') };
  await mk.m.cli(['ps', '-a', mk.app]); // fails here, with the CLI's message, rather than inside hyperfine
  const out = join(ctx.tmp, 'hyperfine.json');
  const node = process.execPath;
  const r = await runCmd('hyperfine', ['-N', '--warmup', '3', '--min-runs', '10', '--max-runs', '40', '--style', 'none',
    '--export-json', out, `${node} ${join(ctx.root, 'bin/minik')} ps -a ${mk.app}`, `${node} -e 0`],
  { env: mk.m.env(), cwd: ctx.root, timeoutMs: 120_000 });
  if (r.code !== 0) return { row: naRow(PS, `hyperfine exited ${r.code}: ${r.stderr.trim().split('\n').pop()}`, '≤ 2×') };
  const [ps, bare] = JSON.parse(readFileSync(out, 'utf8')).results;
  const sp = summary(ps.times.map((t) => t * 1000));
  const sb = summary(bare.times.map((t) => t * 1000));
  const ratio = ps.median / bare.median;
  return {
    raw: { ps: { median: ps.median, mean: ps.mean, times: ps.times }, node: { median: bare.median, mean: bare.mean, times: bare.times } },
    row: { metric: PS, minik: fmt.ms(ps.median * 1000, 0), reference: `node -e 0 ${fmt.ms(bare.median * 1000, 0)}`,
      ratio: fmt.ratio(ratio), goal: '≤ 2×', ok: meets(ratio, '<=', 2),
      noise: [noiseOf('minik ps', sp, (x) => fmt.ms(x, 0)), noiseOf('node -e 0', sb, (x) => fmt.ms(x, 0))].join(' · ') },
  };
}

/** Times `minik scale web=10` (returns once the new dynos are up), then scales back to 1. */
async function scale(ctx, mk) {
  const up = [], down = [];
  for (let i = 0; i < 2; i++) {
    ctx.progress(`cli: scale web=10 (${i + 1}/2)`);
    up.push((await mk.m.cli(['scale', 'web=10', '-a', mk.app], { timeoutMs: 120_000 })).ms);
    await mk.m.dynos(mk.app); // remember the new dynos' groups for cleanup
    down.push((await mk.m.cli(['scale', 'web=1', '-a', mk.app], { timeoutMs: 120_000 })).ms);
  }
  const su = summary(up), sd = summary(down);
  return {
    raw: { upMs: up, downMs: down },
    rows: [
      { metric: 'minik scale web=10 (until up)', minik: fmt.s(su.median), reference: `back to 1: ${fmt.s(sd.median)}`, ratio: '',
        goal: '', ok: 'info', noise: [noiseOf('web=10', su, fmt.s), noiseOf('web=1', sd, fmt.s)].join(' · ') },
    ],
  };
}

/** Both measurements, unpinned (all cores), each degrading to n/a on its own. */
export async function run(ctx) {
  let mk;
  try { mk = await ctx.minik(); } catch (e) {
    return { rows: [naRow(PS, e.message, '≤ 2×'), naRow('minik scale web=10 (until up)', e.message)], raw: { error: e.message } };
  }
  await ctx.pinMinik(false);
  const raw = {};
  const rows = [];
  try { const r = await psVsNode(ctx, mk); rows.push(r.row); raw.ps = r.raw; } catch (e) { rows.push(naRow(PS, e.message, '≤ 2×')); }
  try { const r = await scale(ctx, mk); rows.push(...r.rows); raw.scale = r.raw; }
  catch (e) { rows.push(naRow('minik scale web=10 (until up)', e.message)); await mk.m.cli(['scale', 'web=1', '-a', mk.app], { allowFail: true }); }
  return { rows, raw };
}
