/// <reference lib="dom" />
// Why: the dashboard's only script: it keeps the server-rendered page live from one EventSource and sends
// changes as JSON with the CSRF header. Bundled by esbuild into dist/dashboard/assets/main.js.
import { addonsSection, appsTable, autoscaleSection, configSection, dynosSection, formationSection, headerSection, logLine, logMatches, metricsSection, releasesSection } from './render.js';
import type { AppRow, AppState, LogEvent, MetricsData } from './types.js';

const csrf = document.querySelector<HTMLMetaElement>('meta[name=csrf]')!.content;
const boot = JSON.parse(document.getElementById('state')!.textContent!) as { page: 'apps'; apps: AppRow[] } | { page: 'app'; state: AppState };
const $ = (id: string) => document.getElementById(id)!;
const MAX_LOGS = 500;

let state: AppState | null = boot.page === 'app' ? boot.state : null;
let revealed: Record<string, string> | null = null;
let range: 'hour' | 'day' = 'hour';
const logs: LogEvent[] = [];

function toast(text: string, bad = false): void {
  const t = $('toast');
  t.textContent = text;
  t.className = bad ? 'show bad' : 'show';
  setTimeout(() => (t.className = ''), 4000);
}

async function api(method: string, path: string, body: unknown = {}): Promise<unknown> {
  const res = await fetch(path, { method, headers: { 'content-type': 'application/json', 'x-minik-csrf': csrf }, body: JSON.stringify(body), credentials: 'same-origin' });
  const data = await res.json().catch(() => ({})) as { error?: { message: string; hint?: string } };
  if (!res.ok) throw new Error(data.error ? `${data.error.message}${data.error.hint ? ` (${data.error.hint})` : ''}` : `HTTP ${res.status}`);
  return data;
}

function render(): void {
  if (!state) return;
  $('header').innerHTML = headerSection(state);
  $('dynos').innerHTML = dynosSection(state);
  $('formation').innerHTML = formationSection(state);
  if (!document.querySelector('[data-form=autoscale]')?.contains(document.activeElement)) $('autoscale').innerHTML = autoscaleSection(state);
  $('releases').innerHTML = releasesSection(state);
  $('addons').innerHTML = addonsSection(state);
  $('config').innerHTML = configSection(state, revealed);
}

function filters(): { source: string; dyno: string; requestId: string } {
  const f = document.querySelector<HTMLFormElement>('[data-form=logs]')!;
  const v = (n: string) => (f.elements.namedItem(n) as HTMLInputElement).value.trim();
  return { source: v('source'), dyno: v('dyno'), requestId: v('requestId') };
}

function renderLogs(): void {
  const f = filters();
  const box = $('logs');
  box.innerHTML = logs.filter((l) => logMatches(l, f)).map(logLine).join('');
  box.scrollTop = box.scrollHeight;
}

async function loadMetrics(): Promise<void> {
  if (!state) return;
  try {
    const m = await fetch(`/api/apps/${encodeURIComponent(state.app.name)}/metrics?range=${range}`, { credentials: 'same-origin' }).then((r) => r.json()) as MetricsData;
    $('metrics').innerHTML = metricsSection(m);
  } catch (err) {
    $('metrics').textContent = `Could not load metrics: ${(err as Error).message}`;
  }
}

async function act(el: HTMLElement): Promise<void> {
  const app = `/api/apps/${encodeURIComponent(state!.app.name)}`;
  const d = el.dataset;
  switch (d.action) {
    case 'scale': {
      const r = await api('POST', `${app}/scale`, { type: d.type, quantity: Number(d.quantity) }) as { disabled: string[] };
      return toast(`Scaled ${d.type} to ${d.quantity}${r.disabled.length ? '; autoscaling disabled' : ''}`);
    }
    case 'restart': await api('POST', `${app}/restart`); return toast('Restarting dynos');
    case 'maintenance': await api('POST', `${app}/maintenance`, { on: d.on === 'true' }); return toast(`Maintenance ${d.on === 'true' ? 'on' : 'off'}`);
    case 'rollback': {
      if (!confirm(`Roll back to v${d.version}?`)) return;
      const r = await api('POST', `${app}/rollback`, { version: Number(d.version) }) as { release: number };
      return toast(`Rolled back to v${d.version} (now v${r.release})`);
    }
    case 'reveal':
      revealed = revealed ? null : await fetch(`${app}/config`, { credentials: 'same-origin' }).then((r) => r.json()) as Record<string, string>;
      return render();
    case 'edit-config': {
      const f = document.querySelector<HTMLFormElement>('[data-form=config]')!;
      (f.elements.namedItem('key') as HTMLInputElement).value = d.key!;
      (f.elements.namedItem('value') as HTMLInputElement).focus();
      return;
    }
    case 'unset-config':
      if (!confirm(`Remove ${d.key}? The app restarts with a new release.`)) return;
      await api('PATCH', `${app}/config`, { unset: [d.key] });
      revealed = null;
      return toast(`Removed ${d.key}`);
    case 'autoscale-off': await api('DELETE', `${app}/autoscale`); return toast('Autoscaling disabled');
    case 'range':
      range = d.range === 'day' ? 'day' : 'hour';
      document.querySelectorAll('[data-action=range]').forEach((b) => b.classList.toggle('on', (b as HTMLElement).dataset.range === range));
      return loadMetrics();
  }
}

async function submit(form: HTMLFormElement): Promise<void> {
  const app = `/api/apps/${encodeURIComponent(state!.app.name)}`;
  const v = (n: string) => (form.elements.namedItem(n) as HTMLInputElement).value;
  if (form.dataset.form === 'config') {
    await api('PATCH', `${app}/config`, { set: { [v('key')]: v('value') } });
    revealed = null;
    toast(`Set ${v('key')}; restarting dynos`);
    form.reset();
  } else if (form.dataset.form === 'autoscale') {
    await api('PUT', `${app}/autoscale`, { min: Number(v('min')), max: Number(v('max')), p95: Number(v('p95')) });
    (document.activeElement as HTMLElement | null)?.blur();
    toast('Autoscaling updated');
  }
}

document.addEventListener('click', (e) => {
  const el = (e.target as HTMLElement).closest<HTMLElement>('[data-action]');
  if (!el || !state) return;
  e.preventDefault();
  el.setAttribute('aria-busy', 'true');
  act(el).catch((err: Error) => toast(err.message, true)).finally(() => el.removeAttribute('aria-busy'));
});
document.addEventListener('submit', (e) => {
  const form = e.target as HTMLFormElement;
  e.preventDefault();
  if (form.dataset.form !== 'logs') submit(form).catch((err: Error) => toast(err.message, true));
});
document.addEventListener('input', (e) => {
  if ((e.target as HTMLElement).closest('[data-form=logs]')) renderLogs();
});

const events = new EventSource(state ? `/events?app=${encodeURIComponent(state.app.name)}` : '/events');
events.addEventListener('state', (e) => {
  const data = JSON.parse((e as MessageEvent).data);
  if (state) {
    state = data as AppState;
    render();
  } else $('apps').innerHTML = appsTable(data as AppRow[]);
});
let pending = false;
events.addEventListener('log', (e) => {
  logs.push(JSON.parse((e as MessageEvent).data) as LogEvent);
  if (logs.length > MAX_LOGS) logs.splice(0, logs.length - MAX_LOGS);
  if (!pending) {
    pending = true;
    requestAnimationFrame(() => { pending = false; renderLogs(); });
  }
});
if (state) {
  void loadMetrics();
  setInterval(() => void loadMetrics(), 30_000);
}
