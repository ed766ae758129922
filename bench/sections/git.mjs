// (h) Git: `git push minik main` of a new commit of fixtures/node-hello (dependencies unchanged, so the
// build cache hits) until the router serves it, beside `minik up` of the same commit in the same round.
// The difference is what git adds: the pack, the hook's node start, and `git archive` of the commit.
import { cpSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run as exec } from '../lib/proc.mjs';
import { get } from '../lib/http.mjs';
import { paired, summary } from '../lib/stats.mjs';
import { fmt, meets, naRow, noiseOf } from '../lib/table.mjs';

export const name = 'git';
const METRIC = 'git push → served (node-hello, deps unchanged)';
const APP = 'bench-git';
const GOAL_MS = 200;

/** server.js answering `token`. */
const serverJs = (token) => `// written by bench/sections/git.mjs
require('node:http').createServer((req, res) => res.end(${JSON.stringify(token)})).listen(Number(process.env.PORT));
`;

/** Runs git in `dir`; throws with its output when it fails. */
async function git(dir, args, env) {
  const r = await exec('git', args, { cwd: dir, env, timeoutMs: 300_000 });
  if (r.code !== 0) throw new Error(`git ${args.join(' ')} failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' / ')}`);
  return r;
}

/** Checks the router serves `token` (push and up both return once the new dynos serve). */
async function served(mk, token) {
  const body = (await get(`${mk.m.routerUrl}/`, { host: `${APP}.localhost`, timeoutMs: 5000 })).body;
  if (!body.includes(token)) throw new Error(`served '${body.slice(0, 40)}' instead of '${token}'`);
}

/** Interleaved rounds: commit, push (timed), then up of the same folder (timed). */
async function measure(ctx, mk) {
  const dir = join(ctx.tmp, 'apps', APP);
  cpSync(join(ctx.root, 'fixtures/node-hello'), dir, { recursive: true, filter: (src) => !/\/(node_modules|\.minik)(\/|$)/.test(src) });
  const env = { ...mk.m.env(), GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@minik.invalid', GIT_COMMITTER_NAME: 'bench',
    GIT_COMMITTER_EMAIL: 'bench@minik.invalid', GIT_CONFIG_NOSYSTEM: '1' };
  writeFileSync(join(dir, 'server.js'), serverJs('token-0'));
  for (const args of [['init', '-q'], ['symbolic-ref', 'HEAD', 'refs/heads/main'], ['add', '-A'], ['commit', '-qm', 'token-0']]) await git(dir, args, env);
  const created = await exec(process.execPath, [join(ctx.root, 'bin/minik'), 'apps:create', APP], { cwd: dir, env, timeoutMs: 60_000 });
  if (created.code !== 0) throw new Error(`minik apps:create: ${created.stderr.trim()}`);
  ctx.progress('git: first push (fills the build cache)');
  await git(dir, ['push', '-q', 'minik', 'main'], env);
  await served(mk, 'token-0');
  const push = [], up = [];
  for (let i = 1; i <= ctx.rounds; i++) {
    ctx.progress(`git: round ${i}/${ctx.rounds}`);
    writeFileSync(join(dir, 'server.js'), serverJs(`token-${i}`));
    await git(dir, ['commit', '-qam', `token-${i}`], env);
    push.push((await git(dir, ['push', '-q', 'minik', 'main'], env)).ms);
    await served(mk, `token-${i}`);
    const r = await mk.m.cli(['up', dir, '--name', APP], { timeoutMs: 300_000 });
    up.push(r.ms);
    await served(mk, `token-${i}`);
  }
  return { push, up };
}

/** One row: median push → served, beside median up; goal: the per-round difference within 0.2 s. */
export async function run(ctx) {
  if (!existsSync(join(ctx.root, 'fixtures/node-hello'))) return { rows: [naRow(METRIC, 'fixtures/node-hello does not exist')], raw: {} };
  const gitVersion = await exec('git', ['--version'], {});
  if (gitVersion.code !== 0) return { rows: [naRow(METRIC, 'git is not installed')], raw: {} };
  let mk;
  try { mk = await ctx.minik(); } catch (e) { return { rows: [naRow(METRIC, e.message)], raw: { error: e.message } }; }
  await ctx.pinMinik(false);
  try {
    const { push, up } = await measure(ctx, mk);
    const diff = summary(paired(push, up, (p, u) => p - u));
    const p = summary(push), u = summary(up);
    return {
      raw: { pushMs: push, upMs: up, git: gitVersion.stdout.trim() },
      rows: [{
        metric: METRIC, minik: fmt.s(p.median), reference: `up ${fmt.s(u.median)}`, ratio: `${diff.median >= 0 ? '+' : ''}${fmt.s(diff.median)}`,
        goal: `≤ up + ${fmt.s(GOAL_MS)}`, ok: meets(diff.median, '<=', GOAL_MS),
        noise: `${noiseOf('push', p, fmt.s)}; ${noiseOf('up', u, fmt.s)}; ${noiseOf('push − up', diff, fmt.s)}`,
      }],
    };
  } catch (e) {
    return { rows: [naRow(METRIC, e.message)], raw: { error: e.message } };
  } finally {
    await mk.m.dynos(APP).catch(() => {});
    await mk.m.api('DELETE', `/apps/${APP}`).catch(() => {});
  }
}
