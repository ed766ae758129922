// Why: `minik metrics` shows what the router measured: per minute (or per 10 minutes beyond 24 h) and a summary.
import type { AppMetrics, DynoMetrics } from '../../core/metrics.js';
import { parseSince, summarize } from '../../metrics/summary.js';
import { appForDir, appPath, withApp } from '../app.js';
import { request } from '../client.js';
import { paletteFor } from '../color.js';
import { defineCommand, withJson } from '../command.js';
import { formatBytes, print, printJson, table } from '../format.js';
import { validateAppName } from '../../core/names.js';

interface Series { res: 1 | 10; apps: AppMetrics[]; dynos: DynoMetrics[]; summary: ReturnType<typeof summarize> }

const ms = (v: number | null) => (v === null ? '' : `${v}ms`);

/** The per-bucket table (with an APP column when several apps are shown). */
export function metricsTable(rows: AppMetrics[], withApp: boolean, p = paletteFor(process.stdout)): string {
  const head = [...(withApp ? ['APP'] : []), 'TIME (UTC)', 'REQUESTS', '2XX', '3XX', '4XX', '5XX', 'P50', 'P95', 'P99', 'MAX', 'ERRORS'];
  return table(head, rows.map((r) => [
    ...(withApp ? [r.app] : []), new Date(r.at).toISOString().slice(0, 16).replace('T', ' '), String(r.requests), String(r.c2xx), String(r.c3xx),
    String(r.c4xx), r.c5xx > 0 ? p.red(String(r.c5xx)) : '0', ms(r.p50), ms(r.p95), ms(r.p99), ms(r.max),
    Object.entries(r.errors).map(([c, n]) => `${c}×${n}`).join(' '),
  ]), p);
}

/** Per dyno over the range: peak RSS, mean CPU, restarts and state changes. */
export function dynoTable(rows: DynoMetrics[], p = paletteFor(process.stdout)): string {
  const names = [...new Set(rows.map((r) => `${r.app}\0${r.dyno}`))].sort();
  return table(['DYNO', 'PEAK RSS', 'MEAN CPU', 'RESTARTS', 'STATE CHANGES'], names.map((key) => {
    const rs = rows.filter((r) => `${r.app}\0${r.dyno}` === key && r.rss > 0);
    const all = rows.filter((r) => `${r.app}\0${r.dyno}` === key);
    const cpu = rs.length ? rs.reduce((n, r) => n + r.cpu, 0) / rs.length : null;
    return [key.replace('\0', ' '), formatBytes(rs.length ? Math.max(...rs.map((r) => r.rss)) : null), cpu === null ? '' : `${cpu.toFixed(1)}%`,
      String(all.reduce((n, r) => n + r.restarts, 0)), String(all.reduce((n, r) => n + r.stateChanges, 0))];
  }), p);
}

/** The one-line summary. */
export function summaryLine(s: Series['summary'], since: string): string {
  const share = s.requests ? ` (${((s.c5xx / s.requests) * 100).toFixed(1)}%)` : '';
  const errors = Object.entries(s.errors).map(([c, n]) => `${c}×${n}`).join(' ');
  return `Last ${since}: ${s.requests} requests, ${s.c5xx} 5xx${share}, p95 up to ${ms(s.p95) || '-'}, max ${ms(s.max) || '-'}${errors ? `, errors ${errors}` : ''}`;
}

/** `minik metrics [-a APP] [--since 1h] [--json]`. */
export default defineCommand<{ app?: string; json?: boolean; since: string }>({
  command: 'metrics',
  describe: "show response times, throughput and errors per minute (every app's without -a outside an app folder)",
  group: 'Dynos',
  builder: (y) => withJson(withApp(y)).option('since', { type: 'string', default: '1h', describe: 'how far back: 30m, 1h, 24h, 7d' }),
  handler: async (argv) => {
    const since = parseSince(String(argv.since));
    const app = argv.app ? validateAppName(String(argv.app)) : process.env.MINIK_APP ? validateAppName(process.env.MINIK_APP) : (await appForDir(process.cwd()))?.name ?? null;
    const s = await request<Series>('GET', `${app ? appPath(app, '/metrics') : '/metrics'}?since=${since}`);
    if (argv.json) return printJson(s);
    if (s.apps.length === 0) return print(`No requests ${app ? `to ${app} ` : ''}in the last ${argv.since}.`);
    print(metricsTable(s.apps, app === null));
    if (s.dynos.length > 0) {
      print();
      print(dynoTable(s.dynos));
    }
    print();
    print(summaryLine(s.summary, String(argv.since)));
  },
});
