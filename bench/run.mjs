#!/usr/bin/env node
// `npm run bench`: minik's figures side by side with their references, measured in one run, printed as
// one table (each figure as a ratio to its goal) plus the machine's noise; raw data in bench/results/.
//   node bench/run.mjs [--only router,https,latency,ws,memory,cli,deploy,receive,watch,metrics,dashboard,git,addons] [--skip LIST] [--rounds N]
//                      [--duration 5s] [--no-install]
// Env equivalents: BENCH_ONLY, BENCH_SKIP, BENCH_ROUNDS, BENCH_DURATION, BENCH_NO_INSTALL=1.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg, cpus } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stopAllNow, ncpu, canPin } from './lib/proc.mjs';
import { createContext } from './lib/context.mjs';
import { closeAgent } from './lib/http.mjs';
import { printTable, naRow } from './lib/table.mjs';
import * as router from './sections/router.mjs';
import * as latency from './sections/latency.mjs';
import * as ws from './sections/ws.mjs';
import * as memory from './sections/memory.mjs';
import * as cli from './sections/cli.mjs';
import * as deploy from './sections/deploy.mjs';
import * as watch from './sections/watch.mjs';
import * as metrics from './sections/metrics.mjs';
import * as dashboard from './sections/dashboard.mjs';
import * as git from './sections/git.mjs';
import * as receive from './sections/receive.mjs';
import * as addons from './sections/addons.mjs';
import * as httpsTls from './sections/https.mjs';

const SECTIONS = [router, httpsTls, latency, ws, memory, cli, deploy, receive, watch, metrics, dashboard, git, addons]; // memory right after the load
const BUDGET_MS = 8 * 60_000;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Options from the command line, falling back to BENCH_* variables. */
function options() {
  const { values } = parseArgs({ options: {
    only: { type: 'string' }, skip: { type: 'string' }, rounds: { type: 'string' }, duration: { type: 'string' },
    'no-install': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) { console.log(`usage: node bench/run.mjs [--only LIST] [--skip LIST] [--rounds N (5)] [--duration 5s] [--no-install]\nsections: ${SECTIONS.map((s) => s.name).join(', ')}`); process.exit(0); }
  const list = (s) => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  const only = list(values.only ?? process.env.BENCH_ONLY);
  const skip = list(values.skip ?? process.env.BENCH_SKIP);
  const known = SECTIONS.map((s) => s.name);
  for (const n of [...only, ...skip]) if (!known.includes(n)) { console.error(`bench: unknown section '${n}' (known: ${known.join(', ')})`); process.exit(2); }
  return {
    sections: SECTIONS.filter((s) => (!only.length || only.includes(s.name)) && !skip.includes(s.name)),
    rounds: Math.max(1, Number(values.rounds ?? process.env.BENCH_ROUNDS ?? 5)),
    duration: values.duration ?? process.env.BENCH_DURATION ?? '5s',
    install: !(values['no-install'] || process.env.BENCH_NO_INSTALL === '1'),
  };
}

/** Runs scripts/install-tools.sh; a failure only degrades the sections that need the tools. */
function installTools() {
  const r = spawnSync('bash', [join(root, 'scripts/install-tools.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) console.error('bench: install-tools.sh failed; sections missing a tool will show n/a');
}

async function main() {
  const opts = options();
  if (opts.install) installTools();
  const started = Date.now();
  const tmp = mkdtempSync(join(tmpdir(), 'minik-bench-'));
  const progress = (msg) => process.stderr.write(`  · ${msg}\n`);
  const ctx = createContext({ root, tmp, rounds: opts.rounds, duration: opts.duration, progress });
  let cleaning = null;
  const cleanup = () => (cleaning ??= (async () => { await ctx.close().catch(() => {}); stopAllNow(); closeAgent(); rmSync(tmp, { recursive: true, force: true }); })());
  for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => { progress(`${sig}: stopping what the bench started`); cleanup().finally(() => process.exit(130)); });
  process.once('exit', stopAllNow);

  const rows = [], raw = {};
  try {
    for (const s of opts.sections) {
      if (Date.now() - started > BUDGET_MS) { rows.push(naRow(s.name, 'skipped: the 8-minute budget is spent')); continue; }
      progress(`${s.name}`);
      try { const r = await s.run(ctx); rows.push(...r.rows); raw[s.name] = r.raw; }
      catch (e) { rows.push(naRow(s.name, e.message)); raw[s.name] = { error: e.message }; }
    }
  } finally { await cleanup(); }

  const load = loadavg().map((x) => x.toFixed(2)).join(' ');
  const title = `minik bench — ${new Date().toISOString()} — ${ncpu} cpus (${cpus()[0]?.model ?? '?'}), load ${load}, ` +
    `${opts.rounds} rounds × ${opts.duration}, ${canPin ? 'backend+proxy on core 0, client on core 1' : 'NOT pinned'}, ` +
    `took ${((Date.now() - started) / 1000).toFixed(0)} s\n`;
  console.log('');
  printTable(rows, { title });
  const resultsDir = join(root, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'latest.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version,
    cpus: ncpu, loadavg: loadavg(), options: { ...opts, sections: opts.sections.map((s) => s.name) }, rows, raw }, null, 2));
  console.log(`\nraw results: bench/results/latest.json`);
}

main().catch((e) => { console.error(`bench: ${e.stack ?? e}`); stopAllNow(); process.exit(1); });
