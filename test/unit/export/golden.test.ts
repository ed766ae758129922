// Golden files: every format's output for fixtures/node-multi (several process types, a release command,
// an app.json formation, two add-ons). UPDATE_GOLDEN=1 rewrites them; review the diff before committing.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXPORT_FORMATS, planExport, SECRET_MODE } from '../../../src/export/index.js';
import { fixtureData, fixtureOptions, SECRET_VALUES } from './helpers.js';

const GOLDEN = join(import.meta.dirname, 'golden');
const update = process.env.UPDATE_GOLDEN === '1';
/** The files that hold secrets, per format (git keeps no 0600 bits, so modes are checked here, not on disk). */
const SECRET_FILES: Record<string, string[]> = {
  k8s: ['01-secret.yaml'],
  compose: ['node-multi.env', 'postgresql-aqua-1.env', 'redis-cubed-2.env'],
  systemd: ['node-multi.env'],
  dockerfile: [],
};

describe.each(EXPORT_FORMATS)('minik export %s of node-multi', (format) => {
  it('matches its golden files, file by file', async () => {
    const plan = planExport(format, await fixtureData(), fixtureOptions(format));
    const dir = join(GOLDEN, format);
    if (update) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      for (const f of plan.files) writeFileSync(join(dir, f.path), f.content);
    }
    expect(readdirSync(dir).sort()).toEqual(plan.files.map((f) => f.path).sort());
    for (const f of plan.files) {
      expect(f.content, `${format}/${f.path}`).toBe(readFileSync(join(dir, f.path), 'utf8'));
    }
    expect(plan.files.filter((f) => f.mode === SECRET_MODE).map((f) => f.path)).toEqual(SECRET_FILES[format]);
  });

  it('puts config values and add-on passwords only in 0600 files', async () => {
    const plan = planExport(format, await fixtureData(), fixtureOptions(format));
    for (const f of plan.files.filter((x) => x.mode !== SECRET_MODE)) {
      for (const secret of SECRET_VALUES) expect(f.content, `${f.path} holds '${secret}'`).not.toContain(secret);
    }
  });
});
