// Issue 12: the PHP buildpack with the system's php: PHP's built-in server as the default web process.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixture, minik, type Minik } from './harness.js';
import { missingTools } from './toolchain.js';

describe.skipIf(missingTools(['php']) !== null)('PHP buildpack', () => {
  let m: Minik;
  beforeAll(async () => { m = await minik(); });
  afterAll(async () => { await m.stop(); });

  it('serves index.php with php -S on 127.0.0.1, and config vars reach it', async () => {
    const dir = await copyFixture('php-hello', join(m.home, 'src'));
    const up = await m.run(['up', dir]);
    expect(up.exitCode, `${up.stdout}\n${up.stderr}`).toBe(0);
    expect(up.stdout).toContain('-----> PHP app detected');
    expect((await m.get('php-hello')).body).toMatch(/^Hello from PHP 8\.\d+/);
    expect((await m.run(['config:set', 'GREETING=Bonjour', '-a', 'php-hello'])).exitCode).toBe(0);
    expect((await m.get('php-hello')).body).toMatch(/^Bonjour from PHP/);
    const info = JSON.parse(String((await m.run(['info', '--json', '-a', 'php-hello'])).stdout)) as { processTypes: Record<string, string> };
    expect(info.processTypes.web).toBe('php -S 127.0.0.1:$PORT -t .');
  });
});
