// (i) HTTPS throughput at 50 connections: minik's TLS listener vs nginx terminating TLS (Dokku's proxy config plus
// `listen ssl`), both serving the same certificate (minik's leaf for `localhost`, from its local CA) in front of
// the same backend, both pinned to core 0, wrk on core 1. wrk sends the URL's host as SNI and cannot resolve
// *.localhost, so it asks for https://localhost:PORT/ with the app in the Host header (minik serves that one name).
// The same rounds also measure both over plain HTTP, so the table shows whether TLS changes minik's standing.
import https from 'node:https';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startNginx, stopNginx } from '../lib/nginx.mjs';
import { freePort, sleep } from '../lib/proc.mjs';
import { column, paired, summary } from '../lib/stats.mjs';
import { fmt, meets, naRow, noiseOf } from '../lib/table.mjs';
import { runWrk } from '../lib/wrk.mjs';

export const name = 'https';
const METRIC = 'HTTPS throughput, 50 conns: minik/nginx (TLS, same cert)';
const GOAL = '≥ 0.5×';
const HTTP_METRIC = 'HTTP throughput, same rounds: minik/nginx (reference)';

/** One GET over TLS trusting `ca` only; resolves the status. */
function getTls(port, host, ca) {
  return new Promise((resolve, reject) => {
    const req = https.get({ host: '127.0.0.1', port, servername: 'localhost', ca, headers: { host }, agent: false, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}

/** Retries getTls until a 2xx or `ms` pass. */
async function waitTls(port, host, ca, child, ms = 15_000) {
  const end = Date.now() + ms;
  let last = 'no answer';
  while (Date.now() < end) {
    if (child && child.exitCode !== null) throw new Error(`exited (${child.exitCode}) before https://localhost:${port}/ answered`);
    try { if ((await getTls(port, host, ca)) < 300) return; last = 'non-2xx'; } catch (e) { last = e.message; }
    await sleep(100);
  }
  throw new Error(`https://localhost:${port}/ did not answer: ${last}`);
}

/** Interleaved wrk rounds over minik's and nginx's TLS listeners. */
export async function run(ctx) {
  let mk;
  try { mk = await ctx.minik(); } catch (e) { return { rows: [naRow(METRIC, `minik: ${e.message}`, GOAL)], raw: {} }; }
  await ctx.pinMinik(true);
  const m = mk.m;
  const certs = JSON.parse((await m.cli(['certs', '--json'])).stdout); // creates the CA on first use
  if (!certs.on) return { rows: [naRow(METRIC, `minik: HTTPS is off: ${certs.reason}`, GOAL)], raw: {} };
  const ca = readFileSync(certs.ca, 'utf8');
  // The first handshake for `localhost` issues its leaf; nginx then serves that very file (key and certificate).
  await waitTls(m.httpsPort, mk.host, ca);
  const leaf = join(m.home, 'certs', 'hosts', 'localhost.pem');
  const b = await ctx.backend();
  const dir = join(ctx.tmp, 'nginx-tls');
  mkdirSync(dir, { recursive: true });
  const nginxPort = await freePort();
  const targets = [{ name: 'minik', url: `https://localhost:${m.httpsPort}/` }, { name: 'minik-http', url: mk.url }];
  let nginx = null;
  const raw = { samples: { minik: [], nginx: [], 'minik-http': [], 'nginx-http': [] }, errors: {} };
  try { targets.push({ name: 'nginx-http', url: (await ctx.nginx()).url }); } catch (e) { raw.errors['nginx-http'] = e.message; }
  try {
    nginx = await startNginx({ dir, port: nginxPort, upstreamPort: b.port, serverName: mk.host, cpu: 0, tls: { cert: leaf, key: leaf },
      ready: (child) => waitTls(nginxPort, mk.host, ca, child) });
    targets.push({ name: 'nginx', url: `https://localhost:${nginxPort}/` });
  } catch (e) { raw.errors.nginx = e.message; }
  try {
    for (const t of targets) await runWrk(t.url, { host: mk.host, duration: '1s', cpu: 1 }).catch(() => {}); // warm-up
    for (let round = 1; round <= ctx.rounds; round++) {
      for (const t of targets) {
        ctx.progress(`https: round ${round}/${ctx.rounds}, ${t.name}`);
        try { raw.samples[t.name][round - 1] = await runWrk(t.url, { host: mk.host, duration: ctx.duration, connections: 50, cpu: 1 }); }
        catch (e) { raw.errors[t.name] = e.message; }
      }
    }
  } finally { if (nginx) await stopNginx(nginx); }
  const rps = (t) => column(raw.samples[t], 'rps');
  const why = () => Object.entries(raw.errors).map(([k, v]) => `${k}: ${v}`).join('; ') || 'no sample';
  return { rows: [row(METRIC, 'minik', 'nginx', GOAL), row(HTTP_METRIC, 'minik-http', 'nginx-http', '')], raw };

  /** One row: a over b per round (then the median), with both series as noise. */
  function row(metric, a, b, goal) {
    const sa = summary(rps(a)), sb = summary(rps(b));
    const ratio = summary(paired(rps(a), rps(b), (x, y) => x / y));
    if (!ratio.n) return naRow(metric, why(), goal);
    return { metric, minik: fmt.rps(sa.median), reference: `nginx ${fmt.rps(sb.median)}`, ratio: fmt.ratio(ratio.median),
      goal, ok: goal ? meets(ratio.median, '>=', 0.5) : 'info',
      noise: [noiseOf('minik/nginx per round', ratio, fmt.ratio), noiseOf(a, sa, fmt.rps), noiseOf(b, sb, fmt.rps)].join(' · ') };
  }
}
