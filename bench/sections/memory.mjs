// (d) Router memory: the daemon's RSS (plus its non-dyno children) after the load sections.
import { fmt, meets, naRow } from '../lib/table.mjs';

export const name = 'memory';
const METRIC = 'router memory: daemon RSS';

/** Reads VmRSS from /proc for the daemon and its helper children. */
export async function run(ctx) {
  let mk;
  try { mk = await ctx.minik(); } catch (e) { return { rows: [naRow(METRIC, e.message, '≤ 100 MB')], raw: { error: e.message } }; }
  const rss = mk.m.daemonRss();
  const split = rss.helpers.length ? `daemon ${fmt.mb(rss.daemon)} + ${rss.helpers.length} helper(s)` : 'daemon alone';
  const note = ctx.afterLoad ? undefined : 'measured without the router load first (router section skipped)';
  return {
    raw: { ...rss, afterLoad: !!ctx.afterLoad, pid: mk.m.pid },
    rows: [{ metric: METRIC, minik: fmt.mb(rss.total), reference: `${split}, ${ctx.afterLoad ? 'after load' : 'idle'}`, ratio: '',
      goal: '≤ 100 MB', ok: meets(rss.total, '<=', 100 * 1048576), note }],
  };
}
