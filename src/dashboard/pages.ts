// Why: full HTML documents for the first render (fast, no client work before content shows); the client
// script then keeps them live over one SSE stream.
import { esc } from './client/html.js';
import { addonsSection, appsTable, autoscaleSection, configSection, dynosSection, formationSection, headerSection, releasesSection } from './client/render.js';
import type { AppRow, AppState } from './client/types.js';

function layout(title: string, csrf: string, body: string, data: unknown): string {
  // JSON in a data block: `<` is escaped so no value can close the script element.
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<meta name="csrf" content="${esc(csrf)}"><title>${esc(title)} · minik</title><link rel="stylesheet" href="/assets/main.css"></head>` +
    `<body><nav><a href="/" class="brand">⬢ minik</a></nav><main>${body}</main><div id="toast" role="status"></div>` +
    `<script id="state" type="application/json">${json}</script><script type="module" src="/assets/main.js"></script></body></html>`;
}

/** The apps list. */
export function appsPage(rows: AppRow[], csrf: string): string {
  return layout('Apps', csrf, `<h1>Apps</h1><section id="apps">${appsTable(rows)}</section>`, { page: 'apps', apps: rows });
}

/** One app's page. */
export function appPage(s: AppState, csrf: string): string {
  const dynoOptions = s.processTypes.map((t) => `<option value="${esc(t)}">${esc(t)}</option>`).join('') +
    s.dynos.map((d) => `<option value="${esc(d.name)}">${esc(d.name)}</option>`).join('');
  const body =
    `<header id="header">${headerSection(s)}</header>` +
    `<div class="grid"><section><h2>Dynos</h2><div id="dynos">${dynosSection(s)}</div></section>` +
    `<section><h2>Formation</h2><div id="formation">${formationSection(s)}</div><h2>Autoscaling</h2><div id="autoscale">${autoscaleSection(s)}</div></section></div>` +
    `<section><h2>Metrics <span class="range"><button data-action="range" data-range="hour" class="on">Last hour</button> <button data-action="range" data-range="day">Last day</button></span></h2><div id="metrics"><p class="empty">Loading…</p></div></section>` +
    `<div class="grid"><section><h2>Releases</h2><div id="releases">${releasesSection(s)}</div></section>` +
    `<section><h2>Config vars</h2><div id="config">${configSection(s, null)}</div>` +
    `<form data-form="config"><input name="key" placeholder="KEY" pattern="[A-Za-z_][A-Za-z0-9_]*" required> <input name="value" placeholder="value"> <button type="submit">Set</button></form></section></div>` +
    `<section><h2>Add-ons</h2><div id="addons">${addonsSection(s)}</div></section>` +
    `<section><h2>Logs</h2><form data-form="logs" class="filters"><select name="source"><option value="">all sources</option><option value="app">app</option><option value="minik">minik</option><option value="router">router</option></select> ` +
    `<select name="dyno"><option value="">all dynos</option>${dynoOptions}</select> <input name="requestId" placeholder="request id"></form><div id="logs" class="logs"></div></section>`;
  return layout(s.app.name, csrf, body, { page: 'app', state: s });
}

/** The page a visitor without a session sees. */
export function loginPage(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>minik dashboard</title></head><body>` +
    `<h1>minik dashboard</h1><p>Run <code>minik dashboard</code> in a terminal to open a signed-in session.</p></body></html>`;
}
