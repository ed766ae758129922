import { describe, expect, it } from 'vitest';
import { lineChart, niceMax } from '../../../src/dashboard/client/charts.js';
import { esc } from '../../../src/dashboard/client/html.js';
import { addonsSection, configSection, formationSection, logMatches, metricsSection, releasesSection } from '../../../src/dashboard/client/render.js';
import type { AppState } from '../../../src/dashboard/client/types.js';
import { appPage } from '../../../src/dashboard/pages.js';

const state: AppState = {
  app: { name: 'shop', sourceDir: '/s', url: 'http://shop.localhost:7080', currentRelease: 2, maintenance: false, createdAt: '', dynos: { up: 1, total: 1 }, formation: { web: 1, worker: 0 }, lastDeploy: null },
  processTypes: ['web', 'worker'],
  dynos: [],
  releases: [
    { version: 2, description: 'Set <X>', status: 'succeeded', createdAt: new Date().toISOString(), buildpack: 'node', current: true, slugAvailable: true },
    { version: 1, description: 'Deploy', status: 'succeeded', createdAt: new Date().toISOString(), buildpack: 'node', current: false, slugAvailable: true },
  ],
  configKeys: ['SECRET'],
  autoscale: [{ app: 'shop', type: 'web', min: 1, max: 4, p95: 800 }],
  addons: [],
};

describe('dashboard rendering', () => {
  it('escapes every value, including in the embedded JSON state', () => {
    expect(esc(`<a href="x">'&`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;');
    const page = appPage({ ...state, configKeys: ['</script><script>alert(1)</script>'] }, 'c"srf');
    expect(page).not.toContain('</script><script>alert(1)');
    expect(page).toContain('<meta name="csrf" content="c&quot;srf">');
    expect(releasesSection(state)).toContain('Set &lt;X&gt;');
  });

  it('lists add-ons with their service, state and the vars each attachment sets, or how to add one', () => {
    expect(addonsSection(state)).toContain('No add-ons. Add one with: minik addons:create heroku-postgresql');
    const pg = {
      name: 'postgresql-shop-1', service: 'heroku-postgresql' as const, plan: 'local', app: 'shop', state: 'up' as const, port: 15400, pid: 1,
      since: null, restarts: 0, version: '15', createdAt: '', attachments: [{ app: 'shop', name: 'DATABASE' }, { app: 'admin', name: 'SHOP_DB' }],
    };
    const html = addonsSection({ ...state, addons: [pg] });
    expect(html).toContain('<code>postgresql-shop-1</code>');
    expect(html).toContain('DATABASE_URL, SHOP_DB_URL (admin)');
    expect(appPage({ ...state, addons: [pg] }, 'c')).toContain('<div id="addons">');
  });

  it('hides config values until they are revealed', () => {
    expect(configSection(state, null)).not.toContain('s3cret');
    expect(configSection(state, null)).toContain('••••••••');
    expect(configSection(state, { SECRET: 's3cret' })).toContain('<code class="value" data-value="SECRET">s3cret</code>');
  });

  it('offers steppers per process type, rollback only to other releases, and shows the autoscaling range', () => {
    const f = formationSection(state);
    expect(f).toContain('data-quantity="2"');
    expect(f).toContain('data-type="worker" data-quantity="-1" disabled');
    expect(f).toContain('autoscaling 1–4');
    const r = releasesSection(state);
    expect(r).toContain('data-version="1"');
    expect(r).not.toContain('data-version="2"');
  });

  it('filters log lines by source, dyno and request id', () => {
    const router = { time: '2026-11-23T08:00:00.000000+00:00', source: 'minik' as const, process: 'router', message: 'at=info path="/" request_id=abc dyno=web.2 connect=1ms' };
    const app = { time: router.time, source: 'app' as const, process: 'web.1', message: 'hello' };
    const f = (source = '', dyno = '', requestId = '') => [router, app].filter((l) => logMatches(l, { source, dyno, requestId })).length;
    expect([f(), f('router'), f('app'), f('minik'), f('', 'web.2'), f('', 'web.1'), f('', '', 'abc')]).toEqual([2, 1, 1, 1, 1, 1, 1]);
  });

  it('draws SVG charts scaled to a round maximum', () => {
    expect([niceMax(0), niceMax(7), niceMax(42), niceMax(180), niceMax(1001)]).toEqual([1, 10, 50, 200, 2000]);
    const svg = lineChart('RT', [{ name: 'p95', cls: 's2', points: [[0, 10], [60_000, 20]] }], 0, 60_000, 'ms');
    expect(svg).toContain('<path class="line s2" d="M28.0,');
    expect(svg).toContain('20ms');
    const m = metricsSection({ res: 1, from: 0, to: 120_000, dynos: [], apps: [{ app: 'shop', res: 1, at: 60_000, requests: 3, c2xx: 2, c3xx: 0, c4xx: 0, c5xx: 1, errors: { H12: 1 }, p50: 5, p95: 30_000, p99: 30_000, max: 30_000, bytes: 0 }] });
    expect(m.match(/<figure class="chart">/g)).toHaveLength(3);
    expect(m).toContain('<b>H12</b>');
  });
});
