// (f) Deploy: `minik up` of a new app (first) and of the same app again (median of the repeats),
// for fixtures/node-hello and fixtures/node-deps (registry dependency: the second build hits the cache).
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { summary } from '../lib/stats.mjs';
import { fmt, naRow, noiseOf } from '../lib/table.mjs';

export const name = 'deploy';

/** A fresh copy of a fixture under a new app name, so its first deploy is a real first deploy. */
function copyFixture(ctx, fixture, appName) {
  const dir = join(ctx.tmp, 'apps', appName);
  cpSync(join(ctx.root, 'fixtures', fixture), dir, { recursive: true, filter: (src) => !/\/(node_modules|\.minik)(\/|$)/.test(src) });
  return dir;
}

/** Deletes a bench app so its dynos stop competing for the CPU (groups remembered for cleanup). */
async function retire(mk, app) {
  await mk.m.dynos(app).catch(() => {});
  await mk.m.api('DELETE', `/apps/${app}`).catch(() => {});
}

/** First deploy, then `ctx.rounds` repeats; two rows. */
async function deployTwice(ctx, mk, fixture) {
  const label = `minik up ${fixture}`;
  if (!existsSync(join(ctx.root, 'fixtures', fixture))) {
    return { rows: [naRow(`${label}: first`, `fixtures/${fixture} does not exist yet`)] };
  }
  const dir = copyFixture(ctx, fixture, `bench-${fixture}`);
  ctx.progress(`deploy: ${fixture} first`);
  const first = (await mk.m.cli(['up', dir], { timeoutMs: 300_000 })).ms;
  const again = [];
  for (let i = 1; i <= ctx.rounds; i++) {
    ctx.progress(`deploy: ${fixture} again ${i}/${ctx.rounds}`);
    again.push((await mk.m.cli(['up', dir], { timeoutMs: 300_000 })).ms);
  }
  const s = summary(again);
  await retire(mk, `bench-${fixture}`);
  return {
    raw: { firstMs: first, againMs: again },
    rows: [
      { metric: `${label}: first (new app)`, minik: fmt.s(first), reference: '', ratio: '', goal: '', ok: 'info' },
      { metric: `${label}: again (median)`, minik: fmt.s(s.median), reference: `first ${fmt.s(first)}`, ratio: fmt.ratio(s.median / first),
        goal: '', ok: 'info', noise: noiseOf('again', s, fmt.s) },
    ],
  };
}

/** Both fixtures, unpinned. */
export async function run(ctx) {
  let mk;
  try { mk = await ctx.minik(); } catch (e) { return { rows: [naRow('minik up: first', e.message)], raw: { error: e.message } }; }
  await ctx.pinMinik(false);
  const rows = [], raw = {};
  for (const fixture of ['node-hello', 'node-deps']) {
    try { const r = await deployTwice(ctx, mk, fixture); rows.push(...r.rows); raw[fixture] = r.raw; }
    catch (e) { rows.push(naRow(`minik up ${fixture}`, e.message)); raw[fixture] = { error: e.message }; }
  }
  return { rows, raw };
}
