// Export test data: fixtures/node-multi as the daemon would describe it, with two add-ons given
// directly (minik has no add-ons yet) and config values that need escaping in every format.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readAppJson } from '../../../src/deploy/appjson.js';
import { defaultFormation } from '../../../src/deploy/formation.js';
import { readManifests } from '../../../src/export/gather.js';
import type { ExportData, ExportOptions } from '../../../src/export/index.js';
import { parseProcfile } from '../../../src/procfile/index.js';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const FIXTURE = join(ROOT, 'fixtures/node-multi');

/** Config values that break naive quoting: $, %, quotes, backslashes, backticks, a newline, spaces. */
export const TRICKY: Record<string, string> = {
  DOLLAR: 'p@$$w0rd $HOME ${PATH}',
  PERCENT: '100% %n %i',
  QUOTES: `it's "quoted"`,
  BACKSLASH: 'C:\\path\\to\\ end\\',
  BACKTICK: 'run `id` now',
  MULTILINE: '-----BEGIN KEY-----\nabc\n-----END KEY-----',
  FEATURE_FLAG: 'on',
  TIMEOUT: '1:30',
};

export const SECRET_VALUES = ['s3cr3t-session-value', 'pg-password-0123456789', 'redis-password-9876543210', ...Object.values(TRICKY).filter((v) => v.length > 4)];

/** ExportData for node-multi v7. */
export async function fixtureData(overrides: Partial<ExportData> = {}): Promise<ExportData> {
  const processTypes = parseProcfile(readFileSync(join(FIXTURE, 'Procfile'), 'utf8'));
  const appJson = await readAppJson(FIXTURE);
  return {
    app: 'node-multi', release: 7, buildpack: 'node', processTypes,
    formation: defaultFormation(processTypes, appJson.formation),
    config: { GREETING: 'hello from app.json', SESSION_SECRET: 's3cr3t-session-value', ...TRICKY },
    domains: ['shop.example.com', 'www.shop.example.com'],
    addons: [
      { service: 'heroku-postgresql', name: 'postgresql-aqua-1', attachments: ['DATABASE', 'HEROKU_POSTGRESQL_AQUA'], password: 'pg-password-0123456789' },
      { service: 'heroku-redis', name: 'redis-cubed-2', attachments: ['REDIS'], password: 'redis-password-9876543210' },
    ],
    slug: '/srv/minik/slugs/node-multi/v7', sourceDir: '/home/dev/node-multi',
    files: await readManifests(FIXTURE),
    nodeVersion: 'v20.19.0',
    ...overrides,
  };
}

/** Fixed options, so golden files do not depend on the machine. */
export function fixtureOptions(format: string, overrides: Partial<ExportOptions> = {}): ExportOptions {
  return { dir: `/home/dev/node-multi/minik-export/${format}`, image: 'node-multi:v7', externalAddons: false, root: '/srv/node-multi', ...overrides };
}
