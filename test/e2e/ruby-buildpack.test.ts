// Issue 12: the Ruby buildpack with the system's ruby and Bundler: a Rack app served by rackup. RubyGems
// may be unreachable (it is on CI): the gems then come from Debian's ruby-rack and ruby-webrick packages.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixture, minik, type Minik } from './harness.js';
import { missingTools } from './toolchain.js';

describe.skipIf(missingTools(['ruby', 'bundle']) !== null)('Ruby buildpack', () => {
  let m: Minik;
  beforeAll(async () => { m = await minik(); });
  afterAll(async () => { await m.stop(); });

  it('bundles the Gemfile and serves config.ru with rackup in production', async () => {
    const dir = await copyFixture('ruby-hello', join(m.home, 'src'));
    const up = await m.run(['up', dir], { timeout: 180_000 });
    expect(up.exitCode, `${up.stdout}\n${up.stderr}`).toBe(0);
    expect(up.stdout).toContain('-----> Ruby app detected');
    expect(up.stdout).toContain('-----> Installing dependencies using Bundler');
    expect((await m.get('ruby-hello')).body).toMatch(/^Hello from Ruby [\d.]+ \(RACK_ENV=production\)/);
    const info = JSON.parse(String((await m.run(['info', '--json', '-a', 'ruby-hello'])).stdout)) as { processTypes: Record<string, string> };
    expect(info.processTypes.web).toBe('bundle exec rackup -p $PORT -o 127.0.0.1');
  });
});
