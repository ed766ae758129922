// Issue 12: the Java buildpack with the system's JDK and Maven: a Maven app with one dependency from
// Maven Central, built twice (the second from the Maven repository kept in the build cache).
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixture, minik, type Minik } from './harness.js';
import { missingTools } from './toolchain.js';

describe.skipIf(missingTools(['java', 'mvn']) !== null)('Java buildpack', () => {
  let m: Minik;
  let dir: string;
  const hello = async () => JSON.parse((await m.get('java-hello')).body) as { greeting: string; maxHeapMb: number };
  beforeAll(async () => {
    m = await minik({ MINIK_BOOT_TIMEOUT: '60' });
    dir = await copyFixture('java-hello', join(m.home, 'src'));
  });
  afterAll(async () => { await m.stop(); });

  it('builds with mvn package, picks the JDK system.properties names, and runs the shaded jar as web', async () => {
    const up = await m.run(['up', dir], { timeout: 240_000 });
    expect(up.exitCode, `${up.stdout}\n${up.stderr}`).toBe(0);
    expect(up.stdout).toContain('-----> Java app detected');
    expect(up.stdout).toMatch(/Using JDK 17[.\d]* .* for java.runtime.version=17/);
    expect((await hello()).greeting).toBe('Hello from Java 17');
    const info = JSON.parse(String((await m.run(['info', '--json', '-a', 'java-hello'])).stdout)) as { processTypes: Record<string, string> };
    expect(info.processTypes.web).toBe('java -Dserver.port=$PORT $JAVA_OPTS -jar target/java-hello-1.0.jar');
    expect(await readdir(join(m.home, 'cache', 'java-hello', 'java', 'm2', 'repository', 'com', 'google', 'code', 'gson', 'gson'))).toContain('2.11.0');
  }, 240_000);

  it('sizes the heap from MINIK_MEMORY_LIMIT at dyno start', async () => {
    expect((await m.run(['config:set', 'MINIK_MEMORY_LIMIT=512M', '-a', 'java-hello'], { timeout: 120_000 })).exitCode).toBe(0);
    const heap = (await hello()).maxHeapMb;
    expect(heap).toBeGreaterThan(300);
    expect(heap).toBeLessThanOrEqual(384); // -Xmx384m: 75% of 512M
  }, 120_000);

  it('rebuilds from the cached Maven repository without downloading again', async () => {
    const jar = join(m.home, 'cache', 'java-hello', 'java', 'm2', 'repository', 'com', 'google', 'code', 'gson', 'gson', '2.11.0', 'gson-2.11.0.jar');
    const before = await stat(jar);
    const up = await m.run(['up', dir], { timeout: 240_000 });
    expect(up.exitCode, `${up.stdout}\n${up.stderr}`).toBe(0);
    expect((await hello()).greeting).toBe('Hello from Java 17');
    expect((await stat(jar)).mtimeMs).toBe(before.mtimeMs);
  }, 240_000);
});
