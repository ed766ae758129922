// Why: the dashboard's page sections as pure functions of data (see html.ts): the server renders them first,
// the browser re-renders a section when the SSE stream brings new state.
import { lineChart, type Series } from './charts.js';
import { ago, bytes, esc, table } from './html.js';
import type { AppRow, AppState, LogEvent, MetricsData } from './types.js';

/** The apps page's table. */
export function appsTable(rows: AppRow[], now = Date.now()): string {
  return table(['App', 'State', 'Web URL', 'Formation', 'Release', 'Last deploy'], rows.map((a) => [
    `<a href="/apps/${esc(a.name)}">${esc(a.name)}</a>`,
    a.maintenance ? '<span class="warn">maintenance</span>' : `${a.dynos.up}/${a.dynos.total} up`,
    `<a href="${esc(a.url)}" rel="noreferrer">${esc(a.url)}</a>`,
    esc(Object.entries(a.formation).map(([t, n]) => `${t}=${n}`).join(' ')),
    a.currentRelease === null ? 'none' : `v${a.currentRelease}`,
    a.lastDeploy ? `${esc(ago(a.lastDeploy, now))} ago` : '',
  ]), 'No apps yet. Deploy one with `minik up`.');
}

/** The app page's header: name, URL, release, maintenance and restart. */
export function headerSection(s: AppState): string {
  const a = s.app;
  return `<h1>${esc(a.name)}</h1><p><a href="${esc(a.url)}" rel="noreferrer">${esc(a.url)}</a> · ${a.currentRelease === null ? 'not deployed' : `v${a.currentRelease}`}</p>` +
    `<p><button data-action="maintenance" data-on="${a.maintenance ? 'false' : 'true'}">${a.maintenance ? 'Turn maintenance off' : 'Turn maintenance on'}</button> ` +
    `<button data-action="restart">Restart all dynos</button> <span class="${a.maintenance ? 'warn' : ''}">Maintenance: ${a.maintenance ? 'on' : 'off'}</span></p>`;
}

/** The live dynos table. */
export function dynosSection(s: AppState, now = Date.now()): string {
  return table(['Dyno', 'State', 'Uptime', 'Restarts', 'RSS', 'CPU', 'Release'], s.dynos.map((d) => [
    `<span data-dyno="${esc(d.name)}">${esc(d.name)}</span>`, `<span class="state ${esc(d.state)}">${esc(d.state)}</span>`, esc(ago(d.since, now)),
    String(d.restarts), esc(bytes(d.rss)), d.cpu === null ? '' : `${d.cpu.toFixed(1)}%`, `v${d.release}`,
  ]), 'No dynos running.');
}

/** Formation steppers, one per process type. */
export function formationSection(s: AppState): string {
  if (s.processTypes.length === 0) return '<p class="empty">Deploy the app to scale it.</p>';
  return s.processTypes.map((t) => {
    const q = s.app.formation[t] ?? 0;
    const auto = s.autoscale.find((x) => x.type === t);
    return `<div class="stepper" data-type="${esc(t)}"><span class="ptype">${esc(t)}</span>` +
      `<button data-action="scale" data-type="${esc(t)}" data-quantity="${q - 1}" ${q <= 0 ? 'disabled' : ''} aria-label="fewer ${esc(t)} dynos">−</button>` +
      `<span class="qty" data-qty="${esc(t)}">${q}</span>` +
      `<button data-action="scale" data-type="${esc(t)}" data-quantity="${q + 1}" ${q >= 100 ? 'disabled' : ''} aria-label="more ${esc(t)} dynos">+</button>` +
      `${auto ? ` <span class="auto">autoscaling ${auto.min}–${auto.max}</span>` : ''}</div>`;
  }).join('');
}

/** The autoscaling range of web dynos. */
export function autoscaleSection(s: AppState): string {
  if (!s.processTypes.includes('web')) return '<p class="empty">Autoscaling applies to web dynos.</p>';
  const a = s.autoscale.find((x) => x.type === 'web');
  const v = a ?? { min: 1, max: 5, p95: 1000 };
  return `<form data-form="autoscale">` +
    `<label>Min <input name="min" type="number" min="1" max="100" value="${v.min}"></label> ` +
    `<label>Max <input name="max" type="number" min="1" max="100" value="${v.max}"></label> ` +
    `<label>p95 ms <input name="p95" type="number" min="1" value="${v.p95}"></label> ` +
    `<button type="submit">${a ? 'Update' : 'Enable autoscaling'}</button>` +
    `${a ? ' <button type="button" data-action="autoscale-off">Disable</button>' : ''}</form>` +
    `<p>${a ? `Web autoscaling on: ${a.min} to ${a.max} dynos, p95 target ${a.p95} ms.` : 'Web autoscaling is off.'}</p>`;
}

/** Releases with rollback buttons. */
export function releasesSection(s: AppState, now = Date.now()): string {
  return table(['Version', 'Description', 'Status', 'Created', ''], s.releases.map((r) => [
    `v${r.version}${r.current ? ' <span class="current">current</span>' : ''}`, esc(r.description), esc(r.status), `${esc(ago(r.createdAt, now))} ago`,
    !r.current && r.status === 'succeeded' && r.slugAvailable ? `<button data-action="rollback" data-version="${r.version}">Roll back to v${r.version}</button>` : '',
  ]), 'No releases yet.');
}

/** The app's add-ons: service, state and the config vars each attachment sets, as `heroku addons` shows them. */
export function addonsSection(s: AppState): string {
  return table(['Add-on', 'Service', 'State', 'Attachments'], s.addons.map((a) => [
    `<code>${esc(a.name)}</code>`, esc(a.service), esc(a.state),
    a.attachments.map((t) => `${esc(t.name)}_URL${t.app === s.app.name ? '' : ` (${esc(t.app)})`}`).join(', '),
  ]), 'No add-ons. Add one with: minik addons:create heroku-postgresql');
}

/** Config var keys; values stay hidden until revealed (fetched only then). */
export function configSection(s: AppState, values: Record<string, string> | null): string {
  const rows = s.configKeys.map((k) => [
    `<code>${esc(k)}</code>`,
    values && Object.hasOwn(values, k) ? `<code class="value" data-value="${esc(k)}">${esc(values[k])}</code>` : '<span class="hidden-value">••••••••</span>',
    `<button data-action="edit-config" data-key="${esc(k)}">Edit</button> <button data-action="unset-config" data-key="${esc(k)}">Remove</button>`,
  ]);
  return `<p><button data-action="reveal">${values ? 'Hide values' : 'Reveal config vars'}</button></p>` + table(['Key', 'Value', ''], rows, 'No config vars.');
}

/** One log line as the logs panel shows it. */
export function logLine(l: LogEvent): string {
  const who = l.source === 'minik' && l.process === 'router' ? 'minik[router]' : `${l.source}[${l.process}]`;
  return `<div class="log ${esc(l.source)}">${esc(l.time.slice(11, 23))} <b>${esc(who)}</b>: ${esc(l.message)}</div>`;
}

/** Whether a line passes the logs panel's filters (source, dyno, request id). */
export function logMatches(l: LogEvent, f: { source: string; dyno: string; requestId: string }): boolean {
  const router = l.source === 'minik' && l.process === 'router';
  if (f.source === 'router' ? !router : f.source && l.source !== f.source) return false;
  if (f.dyno && l.process !== f.dyno && !(router && l.message.includes(`dyno=${f.dyno} `))) return false;
  return !f.requestId || l.message.includes(f.requestId);
}

/** The metrics charts: response time, throughput by status class, memory per dyno, error events. */
export function metricsSection(m: MetricsData): string {
  const per = m.res === 1 ? 'min' : '10 min';
  const pts = (k: 'p50' | 'p95' | 'p99') => m.apps.filter((r) => r[k] !== null).map((r): [number, number] => [r.at, r[k] as number]);
  const rt: Series[] = [{ name: 'p50', cls: 's1', points: pts('p50') }, { name: 'p95', cls: 's2', points: pts('p95') }, { name: 'p99', cls: 's3', points: pts('p99') }];
  const cls = (k: 'c2xx' | 'c3xx' | 'c4xx' | 'c5xx', c: string): Series => ({ name: k.slice(1), cls: c, points: m.apps.map((r) => [r.at, r[k]]) });
  const dynos = [...new Set(m.dynos.map((d) => d.dyno))].sort();
  const mem: Series[] = dynos.map((d, i) => ({ name: d, cls: `s${(i % 4) + 1}`, points: m.dynos.filter((x) => x.dyno === d && x.rss > 0).map((x): [number, number] => [x.at, Math.round(x.rss / 1024 / 1024)]) }));
  const events = m.apps.flatMap((r) => Object.entries(r.errors).map(([code, n]) => [new Date(r.at).toISOString().slice(11, 16), `<b>${esc(code)}</b>`, String(n)]));
  return lineChart('Response time (ms)', rt, m.from, m.to, 'ms') +
    lineChart(`Throughput (requests / ${per})`, [cls('c2xx', 's1'), cls('c3xx', 's4'), cls('c4xx', 's2'), cls('c5xx', 's3')], m.from, m.to, '') +
    lineChart('Memory (MB, peak per dyno)', mem, m.from, m.to, 'MB') +
    `<h3>Error events</h3>${table(['Time (UTC)', 'Code', 'Count'], events, 'No router errors in this range.')}`;
}
