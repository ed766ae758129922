// Why: `minik metrics` shows what the router measured: per minute (or per 10 minutes beyond 24 h) and a summary.
import type { AppMetrics } from '../../core/metrics.js';
import { parseSince, summarize } from '../../metrics/summary.js';
import { appForDir, appPath, withApp } from '../app.js';
import { request } from '../client.js';
import { paletteFor } from '../color.js';
import { defineCommand, withJson } from '../command.js';
import { print, printJson, table } from '../format.js';
import { validateAppName } from '../../core/names.js';

interface Series { res: 1 | 10; apps: AppMetrics[]; summary: ReturnType<typeof summarize> }

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
    print();
    print(summaryLine(s.summary, String(argv.since)));
  },
});
