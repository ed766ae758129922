// Why: when the router answers instead of a dyno, the page names Heroku's error code and the fix, as HTML for
// browsers or JSON for API clients. Pages are rendered once, not per request.
import type { ServerResponse } from 'node:http';

/** A Heroku router error code minik can raise. */
export type RouterErrorCode =
  | 'H10' | 'H12' | 'H13' | 'H14' | 'H15' | 'H17' | 'H18' | 'H19' | 'H21' | 'H27' | 'H80' | 'H81';

/** Why: one table holds each code's log description and the fix shown to the user. */
export const ROUTER_ERRORS: Readonly<Record<RouterErrorCode, { desc: string; fix: string }>> = {
  H10: { desc: 'App crashed', fix: 'Every web dyno has crashed. See why with `minik logs`, then fix the app and run `minik up` or `minik restart`.' },
  H12: { desc: 'Request timeout', fix: 'The web dyno sent no response in time. Make the request faster or move the work to a worker dyno.' },
  H13: { desc: 'Connection closed without response', fix: 'The web dyno closed the connection without answering. Check `minik logs` for a crash.' },
  H14: { desc: 'No web processes running', fix: 'Start a web dyno with `minik scale web=1`.' },
  H15: { desc: 'Idle connection', fix: 'The web dyno stopped sending data mid-response. Send data at least every 55 seconds.' },
  H17: { desc: 'Poorly formatted HTTP response', fix: 'The web dyno sent a response that is not valid HTTP/1.1. Check how the app writes its responses; see `minik logs`.' },
  H18: { desc: 'Server Request Interrupted', fix: 'The web dyno closed the connection mid-response. Check `minik logs`.' },
  H19: { desc: 'Backend connection timeout', fix: 'No web dyno accepted the connection in time. Check `minik ps` and `minik logs`.' },
  H21: { desc: 'Backend connection refused', fix: 'The web dynos refused the connection. Make sure the app listens on $PORT; see `minik logs`.' },
  H27: { desc: 'Client Request Interrupted', fix: 'The client closed the connection before the response was sent.' },
  H80: { desc: 'Maintenance mode', fix: 'The app is in maintenance mode. Turn it off with `minik maintenance:off`.' },
  H81: { desc: 'Blank app', fix: 'Nothing is deployed yet. Deploy the app with `minik up`.' },
};

/** A ready-to-send answer in both representations. */
export interface Page {
  status: number;
  html: Buffer;
  json: Buffer;
}

/** Why: the HTML pages interpolate names and hosts; nothing reaches them unescaped. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(status: number, code: string, title: string, bodyHtml: string, message: string): Page {
  const html = `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
    '<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#222}' +
    'code{background:#eee;padding:0 .2em}</style></head>\n' +
    `<body><h1>${escapeHtml(title)}</h1>\n${bodyHtml}\n<p><small>minik router · ${escapeHtml(code)}</small></p></body></html>\n`;
  return { status, html: Buffer.from(html), json: Buffer.from(JSON.stringify({ error: { code, message } })) };
}

const pages = new Map<RouterErrorCode, Page>();

/** Why: each code's page is built once and reused by every request that needs it. */
export function errorPage(code: RouterErrorCode): Page {
  let p = pages.get(code);
  if (!p) {
    const { desc, fix } = ROUTER_ERRORS[code];
    const fixHtml = escapeHtml(fix).replace(/`([^`]+)`/g, '<code>$1</code>');
    p = page(code === 'H27' ? 499 : 503, code, `Application error (${code}: ${desc})`, `<p>${fixHtml}</p>`, `${desc}. ${fix.replace(/`/g, '')}`);
    pages.set(code, p);
  }
  return p;
}

let badRequest: Page | undefined;

/** Why: a request whose Host is missing, repeated or invalid is answered 400 and routed nowhere (RFC 9112 §3.2). */
export function badRequestPage(): Page {
  return (badRequest ??= page(400, 'bad_request', 'Bad Request',
    '<p>The request needs exactly one valid <code>Host</code> header, e.g. <code>Host: myapp.localhost:7080</code>.</p>',
    'The request needs exactly one valid Host header, e.g. Host: myapp.localhost:7080.'));
}

/** Why: an unknown host gets a 404; with `apps` (see Router.notFoundPage for when) it lists them with their URLs. */
export function notFoundPage(host: string, apps: readonly string[] | null, port: number): Page {
  const message = `No app answers on ${host || '(no Host header)'}.`;
  let list = '';
  if (apps !== null) {
    const items = apps.map((a) => {
      const url = `http://${a}.localhost:${port}`;
      return `<li><a href="${escapeHtml(url)}">${escapeHtml(url)}</a></li>`;
    });
    list = items.length ? `\n<p>Apps on this machine:</p>\n<ul>${items.join('')}</ul>` : '\n<p>No apps yet: deploy one with <code>minik up</code>.</p>';
  }
  const p = page(404, 'no_such_app', 'No such app', `<p>${escapeHtml(message)}</p>${list}`, message);
  if (apps === null) return p;
  const json = JSON.stringify({ error: { code: 'no_such_app', message, apps: apps.map((a) => ({ name: a, url: `http://${a}.localhost:${port}` })) } });
  return { ...p, json: Buffer.from(json) };
}

/** Why: API clients (fetch, axios, curl -H 'Accept: application/json') get JSON; browsers get HTML. */
export function prefersJson(accept: string | undefined): boolean {
  if (!accept || !accept.includes('json')) return false;
  const json = { q: 0, spec: -1, idx: 0 };
  const html = { q: 0, spec: -1, idx: 0 };
  accept.split(',').forEach((range, idx) => {
    const [mt = '', ...params] = range.trim().toLowerCase().split(';');
    const qp = params.find((x) => x.trim().startsWith('q='));
    const q = qp ? Number(qp.trim().slice(2)) : 1;
    if (!(q >= 0)) return;
    score(json, mt.trim(), 'application', 'json', q, idx);
    score(html, mt.trim(), 'text', 'html', q, idx);
  });
  if (json.q !== html.q) return json.q > html.q;
  return json.q > 0 && (json.spec > html.spec || (json.spec === html.spec && json.idx < html.idx));
}

/** Keeps the most specific matching range (RFC 9110 §12.5.1). */
function score(best: { q: number; spec: number; idx: number }, mt: string, type: string, sub: string, q: number, idx: number) {
  const spec = mt === `${type}/${sub}` ? 2 : mt === `${type}/*` ? 1 : mt === '*/*' ? 0 : -1;
  if (spec > best.spec) Object.assign(best, { q, spec, idx });
}

const HTML_TYPE = 'text/html; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

/** Sends `p` on `res` in the representation the request prefers; returns the body size. */
export function sendPage(res: ServerResponse, p: Page, json: boolean): number {
  const body = json ? p.json : p.html;
  res.writeHead(p.status, {
    'content-type': json ? JSON_TYPE : HTML_TYPE,
    'content-length': body.length,
    'cache-control': 'no-store',
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
  return body.length;
}

/** Why: on a raw socket (upgrade requests, parse errors) there is no ServerResponse to write with. */
export function rawResponse(status: number, reason: string, p: Page | null, json = false): Buffer {
  const body = p ? (json ? p.json : p.html) : Buffer.alloc(0);
  const head = `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nCache-Control: no-store\r\n` +
    (p ? `Content-Type: ${json ? JSON_TYPE : HTML_TYPE}\r\n` : '') + `Content-Length: ${body.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}
