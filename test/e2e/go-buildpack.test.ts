// Issue 12: the Go buildpack with the system's go: a module with one dependency from the Go module proxy.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixture, minik, type Minik } from './harness.js';
import { missingTools } from './toolchain.js';

describe.skipIf(missingTools(['go']) !== null)('Go buildpack', () => {
  let m: Minik;
  let dir: string;
  beforeAll(async () => {
    m = await minik();
    dir = await copyFixture('go-hello', join(m.home, 'src'));
  });
  afterAll(async () => { await m.stop(); });

  it('builds bin/go-hello with the module cache in the build cache, and serves it as web', async () => {
    // A first build compiles Go's standard library into the empty build cache: ~25 s of CPU, minutes of wall
    // time on a shared, loaded machine.
    const up = await m.run(['up', dir], { timeout: 240_000 });
    expect(up.exitCode, `${up.stdout}\n${up.stderr}`).toBe(0);
    expect(up.stdout).toContain('-----> Go app detected');
    expect(up.stdout).toContain('+heroku goVersion');
    expect(up.stdout).toContain('Default types for buildpack -> web');
    expect((await m.get('go-hello')).body).toMatch(/^Hello from Go \(request [0-9a-f-]{36}\)/);
    expect(await readdir(join(m.home, 'cache', 'go-hello', 'go', 'mod', 'github.com', 'google'))).toContain('uuid@v1.6.0');
    const info = JSON.parse(String((await m.run(['info', '--json', '-a', 'go-hello'])).stdout)) as { buildpack: string; processTypes: Record<string, string> };
    expect(info).toMatchObject({ buildpack: 'go', processTypes: { web: 'bin/go-hello' } });
  }, 240_000);

  it('rebuilds from the cache without downloading the module again', async () => {
    const up = await m.run(['up', dir], { timeout: 180_000 });
    expect(up.exitCode, up.stderr).toBe(0);
    expect(up.stdout).not.toContain('go: downloading');
  }, 180_000);
});
