// (g) Receive: the deploy's copy of a 50,000-file app folder (src/deploy/receive.ts, in this process as in the
// daemon) against `cp -a` of the same folder, rounds interleaved, the ratio taken per round. Goal: within 2×.
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { run as runCmd } from '../lib/proc.mjs';
import { paired, summary } from '../lib/stats.mjs';
import { fmt, meets, naRow, noiseOf } from '../lib/table.mjs';

export const name = 'receive';
const METRIC = 'deploy receive: 50,000 files vs cp -a';
const DIRS = 500, FILES_PER_DIR = 100; // 50,000 files of 200-600 bytes in 500 folders of 5 subtrees

/** A source tree shaped like a large app: nested folders of small files, a few symlinks. */
function makeTree(root) {
  for (let d = 0; d < DIRS; d++) {
    const dir = join(root, `pkg${d % 5}`, `mod${d}`);
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < FILES_PER_DIR; f++) writeFileSync(join(dir, `f${f}.js`), `// ${d}/${f}\n${'x'.repeat(200 + ((d * 7 + f) % 400))}\n`);
    if (d % 50 === 0) symlinkSync('f0.js', join(dir, 'index.js'));
  }
  writeFileSync(join(root, 'Procfile'), 'web: node pkg0/mod0/f0.js\n');
}

async function timed(fn) {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** One warm-up, then up to 3 interleaved rounds (order alternating; each copies 50,000 files twice); one row. */
export async function run(ctx) {
  const rounds = Math.min(ctx.rounds, 3);
  let receiveSource;
  try {
    ({ receiveSource } = await import(pathToFileURL(join(ctx.root, 'dist/deploy/receive.js')).href));
  } catch (e) { return { rows: [naRow(METRIC, `dist/ is not built: ${e.message}`, '≤ 2×')], raw: { error: e.message } }; }
  const src = join(ctx.tmp, 'receive-src');
  ctx.progress('receive: writing 50,000 files');
  makeTree(src);
  const dst = join(ctx.tmp, 'receive-dst');
  const cp = async () => {
    const r = await runCmd('cp', ['-a', src, dst], { timeoutMs: 300_000 });
    if (r.code !== 0) throw new Error(`cp -a exited ${r.code}: ${r.stderr.trim()}`);
  };
  const minik = () => receiveSource(src, dst);
  const clean = () => rmSync(dst, { recursive: true, force: true });
  const ours = [], theirs = [];
  try {
    for (let i = 0; i <= rounds; i++) {
      ctx.progress(i === 0 ? 'receive: warm-up' : `receive: round ${i}/${rounds}`);
      const order = i % 2 ? [['cp', cp], ['minik', minik]] : [['minik', minik], ['cp', cp]];
      const got = {};
      for (const [who, fn] of order) { clean(); got[who] = await timed(fn); }
      clean();
      if (i > 0) { ours.push(got.minik); theirs.push(got.cp); }
    }
  } catch (e) {
    return { rows: [naRow(METRIC, e.message, '≤ 2×')], raw: { error: e.message } };
  } finally {
    clean();
    rmSync(src, { recursive: true, force: true });
  }
  const so = summary(ours), st = summary(theirs), ratios = summary(paired(ours, theirs, (a, b) => a / b));
  return {
    raw: { files: DIRS * FILES_PER_DIR, receiveMs: ours, cpMs: theirs },
    rows: [{
      metric: METRIC, minik: fmt.s(so.median), reference: `cp -a ${fmt.s(st.median)}`, ratio: fmt.ratio(ratios.median),
      goal: '≤ 2×', ok: meets(ratios.median, '<=', 2),
      noise: [noiseOf('receive', so, fmt.s), noiseOf('cp -a', st, fmt.s), noiseOf('ratio', ratios, fmt.ratio)].join(' · '),
    }],
  };
}
