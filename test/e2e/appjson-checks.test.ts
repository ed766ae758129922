// Issue 9 item 12: app.json is read (as JSONC) and checked before the build; its web healthchecks must
// pass before the router switches, and a failing one leaves the old release serving.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minik, type Minik } from './harness.js';

const server = (version: string, health: number) =>
  `require('http').createServer((q, s) => { if (q.url === '/health') { s.statusCode = Number(process.env.HEALTH || ${health}); return s.end('ok'); } s.end('${version}'); }).listen(process.env.PORT);\n`;

const APP_JSON = `{
  // Dokku's schema: checked on every deploy before traffic moves
  "healthchecks": {
    "web": [{ "type": "startup", "name": "ready", "path": "/health", "attempts": 2, "wait": 0, "timeout": 2 }],
  },
}
`;

describe('app.json before the build, and healthchecks', () => {
  let m: Minik;
  let dir: string;
  beforeAll(async () => {
    m = await minik();
    dir = join(m.home, 'src', 'checked');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'Procfile'), 'web: node server.js\n');
    await writeFile(join(dir, 'app.json'), APP_JSON);
  });
  afterAll(async () => { await m.stop(); });

  it('runs the healthcheck before switching, and keeps the old release when it fails', async () => {
    await writeFile(join(dir, 'server.js'), server('v1', 200));
    const first = await m.run(['up', dir]);
    expect(first.exitCode, `${first.stdout}\n${first.stderr}`).toBe(0);
    expect(first.stdout).toContain("Running healthcheck 'ready' on web.1: GET /health");
    expect((await m.get('checked')).body).toBe('v1');

    await writeFile(join(dir, 'server.js'), server('v2', 503));
    const second = await m.run(['up', dir]);
    expect(second.exitCode).not.toBe(0);
    expect(second.stderr).toContain("healthcheck 'ready' failed: web.1 answered GET /health with status 503 on each of 2 attempts");
    expect(second.stderr).toContain('v1 keeps serving');
    expect((await m.get('checked')).body).toBe('v1');

    // A config change starts new web dynos from the live slug, whose app.json's check runs too.
    const set = await m.run(['config:set', 'HEALTH=500', '-a', 'checked']);
    expect(set.exitCode).not.toBe(0);
    expect(set.stderr).toContain('answered GET /health with status 500 on each of 2 attempts');
    expect((await m.get('checked')).body).toBe('v1');
    expect((await m.run(['config:get', 'HEALTH', '-a', 'checked'])).stdout.trim()).toBe('');
  });

  it('fails an invalid app.json in the receive step, with its line and column', async () => {
    await writeFile(join(dir, 'app.json'), '{\n  "env": {\n    "A": "1"\n    "B": "2"\n  }\n}\n');
    const up = await m.run(['up', dir]);
    expect(up.exitCode).not.toBe(0);
    expect(up.stderr).toContain('app.json is not valid JSON: line 4, column 5: comma expected');
    expect(up.stdout).not.toContain('app detected');
  });

  it('fails a missing required var before the build', async () => {
    const other = join(m.home, 'src', 'needs-var');
    await mkdir(other, { recursive: true });
    await writeFile(join(other, 'package.json'), JSON.stringify({ name: 'needs-var', scripts: { start: 'node -e 0' } }));
    await writeFile(join(other, 'app.json'), JSON.stringify({ env: { API_KEY: { required: true } } }));
    const up = await m.run(['up', other]);
    expect(up.exitCode).not.toBe(0);
    expect(up.stderr).toContain('app.json requires config var API_KEY, which is not set');
    expect(up.stdout).not.toContain('Installing dependencies');
  });
});
