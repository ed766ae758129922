// (g) Watch: `minik up --watch` on a copy of fixtures/node-hello; time from editing server.js to the
// router serving the new answer, 10 times.
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBg, stopBg, sleep } from '../lib/proc.mjs';
import { get, waitHttp } from '../lib/http.mjs';
import { summary } from '../lib/stats.mjs';
import { fmt, naRow, noiseOf } from '../lib/table.mjs';

export const name = 'watch';
const METRIC = 'watch: edit server.js → served';
const APP = 'bench-watch';
const EDITS = 10;

/** A server.js answering `token` (dynamic import: works whether the fixture is CommonJS or ESM). */
const serverJs = (token) => `// written by bench/sections/watch.mjs
import('node:http').then(({ default: http }) => {
  http.createServer((req, res) => res.end(${JSON.stringify(token)})).listen(Number(process.env.PORT));
});
`;

/** Polls GET / through the router every 10 ms until the body has `token`; resolves the ms it took. */
async function untilServed(url, host, token, t0, timeoutMs = 60_000) {
  while (performance.now() - t0 < timeoutMs) {
    try { if ((await get(url, { host, timeoutMs: 1000 })).body.includes(token)) return performance.now() - t0; } catch { /* swapping */ }
    await sleep(10);
  }
  throw new Error(`'${token}' not served ${timeoutMs / 1000} s after the edit`);
}

/** Starts the watcher, makes the edits, stops the watcher with SIGINT. */
export async function run(ctx) {
  if (!existsSync(join(ctx.root, 'fixtures/node-hello'))) return { rows: [naRow(METRIC, 'fixtures/node-hello does not exist yet')], raw: {} };
  let mk;
  try { mk = await ctx.minik(); } catch (e) { return { rows: [naRow(METRIC, e.message)], raw: { error: e.message } }; }
  await ctx.pinMinik(false);
  const dir = join(ctx.tmp, 'apps', APP);
  cpSync(join(ctx.root, 'fixtures/node-hello'), dir, { recursive: true });
  writeFileSync(join(dir, 'server.js'), serverJs('token-0'));
  const host = `${APP}.localhost`;
  const url = `${mk.m.routerUrl}/`;
  const watcher = startBg(process.execPath, [join(ctx.root, 'bin/minik'), 'up', '--watch', dir],
    { env: mk.m.env(), cwd: ctx.root, logFile: join(ctx.tmp, 'watch.log') });
  const times = [];
  try {
    ctx.progress('watch: first deploy');
    await waitHttp(url, { host, bodyIncludes: 'token-0', timeoutMs: 180_000, child: watcher, intervalMs: 100 });
    for (let i = 1; i <= EDITS; i++) {
      ctx.progress(`watch: edit ${i}/${EDITS}`);
      await sleep(300); // let the previous deploy retire its old dyno
      const t0 = performance.now();
      writeFileSync(join(dir, 'server.js'), serverJs(`token-${i}`));
      times.push(await untilServed(url, host, `token-${i}`, t0));
    }
  } catch (e) {
    const log = readFileSync(join(ctx.tmp, 'watch.log'), 'utf8').trim().split('\n').slice(-3).join(' / ');
    return { rows: [naRow(METRIC, `${e.message}; minik up --watch said: ${log || '(nothing)'}`)], raw: { times, error: e.message } };
  } finally {
    await mk.m.dynos(APP).catch(() => {});
    await stopBg(watcher, 'SIGINT', 10_000);
  }
  const s = summary(times);
  return {
    raw: { times },
    rows: [{ metric: METRIC, minik: fmt.s(s.median), reference: `min ${fmt.s(s.min)}, max ${fmt.s(s.max)}`, ratio: '',
      goal: '', ok: 'info', noise: noiseOf(`${EDITS} edits`, s, fmt.s) }],
  };
}
