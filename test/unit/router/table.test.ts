import { describe, expect, it } from 'vitest';
import { buildRouteTable, lookupRoute, normalizeHost, routeAppNames } from '../../../src/router/table.js';
import { app } from './helpers.js';

describe('buildRouteTable', () => {
  it('routes NAME.localhost and lower-cased extra hosts to the same route', () => {
    const t = buildRouteTable([app('shop', [5001], { hosts: ['Shop.Example.COM', 'www.shop.test.'] })]);
    expect([...t.keys()].sort()).toEqual(['shop.example.com', 'shop.localhost', 'www.shop.test']);
    expect(t.get('shop.localhost')).toBe(t.get('shop.example.com'));
  });

  it('keeps only up web dynos as upstreams', () => {
    const t = buildRouteTable([app('a', [1, 2, 3, 4], { states: ['up', 'starting', 'crashed', 'up'] })]);
    expect(t.get('a.localhost')).toMatchObject({ app: 'a', crashed: false, upstreams: [{ dyno: 'web.1', port: 1 }, { dyno: 'web.4', port: 4 }] });
  });

  it('marks an app crashed only when it has web dynos and all are crashed', () => {
    const t = buildRouteTable([
      app('dead', [1, 2], { states: ['crashed', 'crashed'] }),
      app('half', [1, 2], { states: ['crashed', 'starting'] }),
      app('none', []),
    ]);
    expect(t.get('dead.localhost')!.crashed).toBe(true);
    expect(t.get('half.localhost')!.crashed).toBe(false);
    expect(t.get('none.localhost')!.crashed).toBe(false);
  });

  it('carries maintenance and hasRelease', () => {
    const t = buildRouteTable([app('m', [1], { maintenance: true, hasRelease: false })]);
    expect(t.get('m.localhost')).toMatchObject({ maintenance: true, hasRelease: false });
  });

  it('never lets a domain shadow another app\'s own NAME.localhost', () => {
    const t = buildRouteTable([app('a', [1], { hosts: ['b.localhost'] }), app('b', [2])]);
    expect(t.get('b.localhost')!.app).toBe('b');
  });
});

describe('lookupRoute', () => {
  const t = buildRouteTable([app('shop', [5001], { hosts: ['shop.example.com'] })]);

  it('strips the port, lower-cases and strips a trailing dot', () => {
    for (const h of ['shop.localhost', 'shop.localhost:7080', 'SHOP.LocalHost:7080', 'shop.localhost.', 'shop.localhost.:7080', 'Shop.Example.com']) {
      expect(lookupRoute(t, h)?.app, h).toBe('shop');
    }
  });

  it('finds nothing for unknown, empty, missing and IPv6 hosts', () => {
    for (const h of [undefined, '', 'other.localhost', '[::1]:7080', '[::1]', '::1', '127.0.0.1:7080', ':7080']) {
      expect(lookupRoute(t, h), String(h)).toBeUndefined();
    }
  });

  it('normalizeHost is total', () => {
    expect(normalizeHost('[::1]:80')).toBe('');
    expect(normalizeHost(' A.b. ')).toBe('a.b');
  });
});

describe('routeAppNames', () => {
  it('lists each app once, sorted', () => {
    const t = buildRouteTable([app('zeta', [1], { hosts: ['z.test'] }), app('alpha', [2])]);
    expect(routeAppNames(t)).toEqual(['alpha', 'zeta']);
  });
});
