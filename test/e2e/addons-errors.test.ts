// Issue 11: bad add-on input is refused in one sentence with the fix, and changes nothing.
import { mkdtemp, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addonPorts } from './addons-helpers.js';
import { FIXTURES, minik, type Minik } from './harness.js';

/** `minik: <one sentence>` then `hint: …`, nothing else on stderr. */
function oneSentence(stderr: string): string {
  const lines = String(stderr).trim().split('\n').filter((l) => !/(\.\.\. failed|… done)$/.test(l));
  expect(lines).toHaveLength(2);
  expect(lines[1]).toMatch(/^hint: /);
  return lines.join('\n');
}

describe('add-on refusals', () => {
  let m: Minik;
  const app = 'node-hello';
  beforeAll(async () => {
    m = await minik({ MINIK_ADDON_PORTS: addonPorts() });
    expect((await m.run(['up', join(FIXTURES, app)])).exitCode).toBe(0);
  });
  afterAll(async () => { await m.stop(); });

  it('an unknown service', async () => {
    const r = await m.run(['addons:create', 'mongodb', '-a', app]);
    expect(r.exitCode).not.toBe(0);
    expect(oneSentence(r.stderr)).toMatch(/^minik: unknown add-on service 'mongodb'\nhint: .*heroku-postgresql/);
  });

  it('a second DATABASE, destroy without --confirm, and config:set of an owned var', async () => {
    expect((await m.run(['addons:create', 'postgres', '-a', app])).exitCode).toBe(0);
    const second = await m.run(['addons:create', 'heroku-postgresql', '--as', 'DATABASE', '-a', app]);
    expect(second.exitCode).not.toBe(0);
    expect(oneSentence(second.stderr)).toMatch(/^minik: node-hello already has DATABASE_URL from postgresql-node-hello-1\nhint: .*--as NAME/);

    const destroy = await m.run(['addons:destroy', 'postgresql-node-hello-1']);
    expect(destroy.exitCode).not.toBe(0);
    expect(oneSentence(destroy.stderr)).toMatch(/hint: To proceed, re-run this command with --confirm node-hello$/);
    const wrong = await m.run(['addons:destroy', 'postgresql-node-hello-1', '--confirm', 'shop']);
    expect(oneSentence(wrong.stderr)).toMatch(/^minik: Confirmation shop did not match node-hello\. Aborted\./);

    const set = await m.run(['config:set', 'DATABASE_URL=postgres://elsewhere', '-a', app]);
    expect(set.exitCode).not.toBe(0);
    expect(oneSentence(set.stderr)).toMatch(/^minik: Cannot overwrite attachment values DATABASE_URL: it belongs to the add-on postgresql-node-hello-1/);

    const attach = await m.run(['addons:attach', 'postgresql-node-hello-1', '--as', 'reports', '-a', app]);
    expect(attach.exitCode, attach.stderr).toBe(0);
    expect(attach.stdout).toMatch(/^Attached postgresql-node-hello-1 as REPORTS_URL$/m);
    const listed = await m.run(['addons', '-a', app]);
    expect(listed.stdout).toMatch(/heroku-postgresql \(postgresql-node-hello-1\)\s+essential-0\s+up[\s\S]* └─ as DATABASE\n └─ as HEROKU_POSTGRESQL_AQUA\n └─ as REPORTS/);
    expect((await m.run(['addons:detach', 'REPORTS', '-a', app])).exitCode).toBe(0);

    const ok = await m.run(['addons:destroy', 'postgresql-node-hello-1', '--confirm', app]);
    expect(ok.exitCode, ok.stderr).toBe(0);
    const config = JSON.parse(String((await m.run(['config', '--json', '-a', app])).stdout)) as Record<string, string>;
    expect(Object.keys(config).filter((k) => k.endsWith('_URL'))).toEqual([]);
    const releases = JSON.parse(String((await m.run(['releases', '--json', '-a', app])).stdout)) as { description: string }[];
    expect(releases.map((r) => r.description).slice(0, 4)).toEqual(['Detach DATABASE, HEROKU_POSTGRESQL_AQUA', 'Detach REPORTS', 'Attach REPORTS', 'Attach DATABASE']);
  });

  it('a missing toolchain names the Debian package', async () => {
    // A PATH with node alone: redis-server is nowhere the daemon looks.
    const bin = await mkdtemp(join(m.home, 'bin-'));
    await symlink(process.execPath, join(bin, 'node'));
    const bare = await minik({ PATH: bin, MINIK_ADDON_PORTS: addonPorts() });
    try {
      const r = await bare.run(['addons:create', 'redis', '-a', 'cache']);
      expect(r.exitCode).not.toBe(0);
      expect(oneSentence(r.stderr)).toBe("minik: redis-server was not found on PATH\nhint: install Debian's redis-server package: sudo apt-get install redis-server");
      expect(JSON.parse(String((await bare.run(['apps', '--json'])).stdout))).toEqual([]);
    } finally {
      await bare.stop();
    }
  });
});
