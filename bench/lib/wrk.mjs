// Runs wrk and reads its --latency report: requests/s, p50, p99 (in ms), errors.
import { run, pinned } from './proc.mjs';

const UNIT_MS = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "2.17ms" → 2.17, "512.06us" → 0.51206, "1.02s" → 1020; NaN when unparseable. */
export function durationMs(text) {
  const m = /^([\d.]+)(us|ms|s|m|h)$/.exec(text.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2]] : NaN;
}

/** Parses wrk output (run with --latency) into {rps, p50Ms, p99Ms, requests, non2xx, socketErrors}. */
export function parseWrk(out) {
  const num = (re) => { const m = re.exec(out); return m ? Number(m[1]) : NaN; };
  const pct = (p) => { const m = new RegExp(`^\\s*${p}%\\s+(\\S+)\\s*$`, 'm').exec(out); return m ? durationMs(m[1]) : NaN; };
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const result = {
    rps: num(/^Requests\/sec:\s+([\d.]+)/m),
    p50Ms: pct(50),
    p99Ms: pct(99),
    requests: num(/^\s*(\d+) requests in /m),
    non2xx: /Non-2xx or 3xx responses: (\d+)/.test(out) ? num(/Non-2xx or 3xx responses: (\d+)/) : 0,
    socketErrors: sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
  };
  if (!Number.isFinite(result.rps) || !Number.isFinite(result.p50Ms) || !Number.isFinite(result.p99Ms)) {
    throw new Error(`could not read wrk's output: ${out.trim().split('\n').slice(-3).join(' | ') || '(empty)'}`);
  }
  return result;
}

/** Runs wrk (pinned to `cpu`) against `url` with a Host header; returns parseWrk's result. */
export async function runWrk(url, { host, connections = 50, threads = 1, duration = '5s', cpu } = {}) {
  const args = [`-t${threads}`, `-c${connections}`, `-d${duration}`, '--timeout', '5s', '--latency', url];
  if (host) args.push('-H', `Host: ${host}`);
  const [file, argv] = pinned(cpu, 'wrk', args);
  const r = await run(file, argv, { timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`wrk exited ${r.code}: ${(r.stderr || r.stdout).trim().split('\n').pop()}`);
  const parsed = parseWrk(r.stdout);
  const bad = parsed.non2xx + parsed.socketErrors;
  if (parsed.requests > 0 && bad / parsed.requests > 0.01) {
    throw new Error(`${bad} of ${parsed.requests} requests failed (non-2xx or socket errors)`);
  }
  return parsed;
}
