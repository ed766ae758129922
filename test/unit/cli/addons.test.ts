// Issue 11: the add-on tables read like Heroku's: `└─ as DATABASE` under each add-on, servers under their own heading.
import { describe, expect, it } from 'vitest';
import { addonProcessTable, addonTable } from '../../../src/cli/addons.js';
import { makePalette } from '../../../src/cli/color.js';
import type { AddonView } from '../../../src/core/addons.js';

const p = makePalette(false);
const now = Date.parse('2026-11-30T05:00:00Z');
const pg: AddonView = {
  name: 'postgresql-shop-1', service: 'heroku-postgresql', plan: 'heroku-postgresql:essential-0', app: 'shop', state: 'up', port: 15400,
  pid: 4242, since: '2026-11-30T04:57:00Z', restarts: 1, version: '15', createdAt: '2026-11-30T04:00:00Z',
  attachments: [{ app: 'shop', name: 'DATABASE' }, { app: 'shop', name: 'HEROKU_POSTGRESQL_AQUA' }, { app: 'admin', name: 'DATABASE' }],
};

describe('add-on tables', () => {
  it('lists attachments under each add-on, naming other apps', () => {
    expect(addonTable([pg], p, { app: 'shop' }).split('\n')).toEqual([
      'Add-on                                 Plan         State  Port',
      '─────────────────────────────────────  ───────────  ─────  ─────',
      'heroku-postgresql (postgresql-shop-1)  essential-0  up     15400',
      ' └─ as DATABASE',
      ' └─ as HEROKU_POSTGRESQL_AQUA',
      ' └─ as DATABASE on admin',
    ]);
  });

  it('shows each server in ps with state, uptime, restarts, pid and port', () => {
    expect(addonProcessTable([pg, { ...pg, name: 'redis-shop-1', service: 'heroku-redis', state: 'crashed', pid: null, since: null, port: 15401 }], p, now).split('\n')).toEqual([
      'NAME               STATE    SINCE   RESTARTS  PID   PORT   SERVICE',
      '─────────────────  ───────  ──────  ────────  ────  ─────  ─────────────────',
      'postgresql-shop-1  up       3m ago  1         4242  15400  heroku-postgresql',
      'redis-shop-1       crashed          1               15401  heroku-redis',
    ]);
  });
});
