// (h) Add-ons: `minik addons:create heroku-postgresql` (first on a fresh minik, then again), and Postgres
// connections per second through the app's DATABASE_URL against the same server reached by its host and port
// directly. The URL points straight at the server, so the two must be equal: minik is not in the data path.
import { chmodSync, cpSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { paired, summary } from '../lib/stats.mjs';
import { fmt, naRow, noiseOf } from '../lib/table.mjs';

export const name = 'addons';
const APP = 'bench-pg';
const CREATE = 'minik addons:create heroku-postgresql';
const CONN = 'pg connections/s via DATABASE_URL';

/** Creates and destroys a second add-on `n` times; the first creation is timed on its own. */
async function createTimes(ctx, mk) {
  ctx.progress('addons: create (first)');
  const first = (await mk.m.cli(['addons:create', 'heroku-postgresql', '-a', APP], { timeoutMs: 120_000 })).ms;
  const again = [];
  for (let i = 1; i <= Math.min(ctx.rounds, 3); i++) {
    ctx.progress(`addons: create again ${i}/${Math.min(ctx.rounds, 3)}`);
    again.push((await mk.m.cli(['addons:create', 'heroku-postgresql', '--name', `bench-extra-${i}`, '-a', APP], { timeoutMs: 120_000 })).ms);
    await mk.m.cli(['addons:destroy', `bench-extra-${i}`, '--confirm', APP], { timeoutMs: 60_000 });
  }
  return { first, again };
}

/** Sequential connect + SELECT 1 + close for `ms`; returns connections per second. */
async function connectionsPerSecond(pg, config, ms) {
  const end = Date.now() + ms;
  const start = Date.now();
  let n = 0;
  while (Date.now() < end) {
    const c = new pg.Client(config);
    await c.connect();
    await c.query('SELECT 1');
    await c.end();
    n++;
  }
  return n / ((Date.now() - start) / 1000);
}

/** Interleaved rounds of both ways in, with the app's own `pg` (from its slug) and its DATABASE_URL. */
async function connections(ctx, mk) {
  const spec = await mk.m.api('POST', `/apps/${APP}/run`, { command: 'true', detach: false });
  const pg = createRequire(join(spec.cwd, 'package.json'))('pg');
  const url = new URL(spec.env.DATABASE_URL);
  const [addon] = await mk.m.api('GET', `/apps/${APP}/addons`);
  const direct = { host: '127.0.0.1', port: addon.port, user: 'postgres', password: decodeURIComponent(url.password), database: 'postgres' };
  const via = [], straight = [];
  for (let i = 1; i <= ctx.rounds; i++) {
    ctx.progress(`addons: connections ${i}/${ctx.rounds}`);
    via.push(await connectionsPerSecond(pg, { connectionString: spec.env.DATABASE_URL }, 1000));
    straight.push(await connectionsPerSecond(pg, direct, 1000));
  }
  return { via, straight };
}

/** Both rows; each degrades to n/a with its reason. */
export async function run(ctx) {
  let mk;
  try { mk = await ctx.minik(); } catch (e) { return { rows: [naRow(CREATE, e.message), naRow(CONN, e.message)], raw: { error: e.message } }; }
  await ctx.pinMinik(false);
  const rows = [], raw = {};
  const dir = join(ctx.tmp, 'apps', APP);
  // As root, Postgres runs as the OS user minik-pg, which must pass through the bench's 0700 temp folder to MINIK_HOME.
  chmodSync(ctx.tmp, 0o711);
  cpSync(join(ctx.root, 'fixtures', 'node-postgres'), dir, { recursive: true, filter: (src) => !/\/node_modules(\/|$)/.test(src) });
  try {
    const t = await createTimes(ctx, mk);
    const s = summary(t.again);
    raw.create = t;
    rows.push({ metric: `${CREATE}: first`, minik: fmt.s(t.first), reference: '', ratio: '', goal: '', ok: 'info' },
      { metric: `${CREATE}: again (median)`, minik: fmt.s(s.median), reference: `first ${fmt.s(t.first)}`, ratio: fmt.ratio(s.median / t.first),
        goal: '', ok: 'info', noise: noiseOf('again', s, fmt.s) });
    ctx.progress('addons: deploying fixtures/node-postgres');
    await mk.m.cli(['up', dir], { timeoutMs: 300_000 });
    const c = await connections(ctx, mk);
    const ratios = summary(paired(c.via, c.straight, (a, b) => a / b));
    const sv = summary(c.via), sd = summary(c.straight);
    raw.connections = c;
    rows.push({ metric: `${CONN} vs direct`, minik: `${sv.median.toFixed(0)} conn/s`, reference: `direct ${sd.median.toFixed(0)} conn/s`,
      ratio: fmt.ratio(ratios.median), goal: '≈ 1×', ok: ratios.median > 0.85 && ratios.median < 1.15,
      noise: [noiseOf('via URL', sv, (x) => `${x.toFixed(0)} conn/s`), noiseOf('direct', sd, (x) => `${x.toFixed(0)} conn/s`)].join(' · ') });
  } catch (e) {
    rows.push(naRow(rows.length ? CONN : CREATE, e.message));
  } finally {
    await mk.m.api('DELETE', `/apps/${APP}`).catch(() => {});
  }
  return { rows, raw };
}
