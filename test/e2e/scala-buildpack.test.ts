// Issue 19: the Scala (sbt) buildpack: fixtures/scala-hello (sbt 1.11.7 + sbt-native-packager from Maven Central)
// built cold (the launcher fetched once into MINIK_HOME/tools), served through the router, rebuilt from the warm
// cache with Maven Central made unreachable for the build, and a daemon SIGKILLed mid-build leaving no sbt JVM
// (and a cache the next build uses).
import { readFileSync } from 'node:fs';
import { readdir, rename, writeFile } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markedProcesses, ownedBy } from '../../src/supervisor/owner.js';
import { alive, copyFixture, freePort, minik, until, type Minik } from './harness.js';
import { missingTools } from './toolchain.js';

const APP = 'scala-hello';
const SOURCE = join('src', 'main', 'scala', 'hello', 'Main.scala');

describe.skipIf(missingTools(['java']) !== null)('Scala buildpack (sbt)', () => {
  let m: Minik;
  let dir: string;
  const cache = () => join(m.home, 'cache', APP, 'scala');
  const sbtJvms = () => markedProcesses(ownedBy(m.home, ['build'], APP)).filter((p) => comm(p.pid) === 'java');
  const greet = async (greeting: string) => {
    const file = join(dir, SOURCE);
    await writeFile(file, readFileSync(file, 'utf8').replace(/"(Hello|Hi|Howdy) from Scala/, `"${greeting} from Scala`));
  };
  /** `minik up`, timed. */
  const up = async () => {
    const start = Date.now();
    const r = await m.run(['up', dir], { timeout: 300_000 });
    return { ...r, seconds: (Date.now() - start) / 1000 };
  };

  beforeAll(async () => {
    m = await minik({ MINIK_BOOT_TIMEOUT: '60' });
    dir = await copyFixture(APP, join(m.home, 'src'));
  });
  afterAll(async () => {
    await m.stop();
    const left = markedProcesses(ownedBy(m.home, ['build']));
    for (const p of left) process.kill(p.pid, 'SIGKILL');
    expect(left.map((p) => p.marker)).toEqual([]);
  });

  it('builds with sbt compile stage on the JDK system.properties names, and runs the staged script as web', async () => {
    const r = await up();
    expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
    console.info(`scala-hello cold build and release: ${r.seconds.toFixed(1)} s`);
    expect(r.stdout).toContain('-----> Scala app detected');
    expect(r.stdout).toMatch(/Using JDK 17[.\d]* .* for java.runtime.version=17/);
    expect(r.stdout).toContain(`-----> Fetching sbt's launcher 1.11.7 from repo1.maven.org (once, into ${join(m.home, 'tools')})`);
    expect(r.stdout).toContain('-----> Running: sbt compile stage');
    expect(r.stdout).toContain('-----> Dropping compilation artifacts from the slug');
    expect((await m.get(APP)).body).toBe('Hello from Scala 2.13.16 on Java 17');

    const info = JSON.parse(String((await m.run(['info', '--json', '-a', APP])).stdout)) as { buildpack: string; runtime: string; processTypes: Record<string, string> };
    expect(info.buildpack).toBe('scala');
    expect(info.runtime).toMatch(/^java 17\.\d/);
    expect(info.processTypes.web).toBe('target/universal/stage/bin/scala-hello -Dhttp.port=$PORT');
    expect(String((await m.run(['info', '-a', APP])).stdout)).toMatch(/Buildpack: +scala\nRuntime: +java 17\./);

    // The slug carries the staged app (its jars included), not sbt's caches nor the compile output.
    const slug = join(m.home, 'slugs', APP, (await readdir(join(m.home, 'slugs', APP)))[0]!);
    expect(await readdir(join(slug, 'target'))).toEqual(['universal']);
    expect(await readdir(join(slug, 'target', 'universal', 'stage', 'lib'))).toEqual(expect.arrayContaining(['default.scala-hello-1.0.jar', 'org.scala-lang.scala-library-2.13.16.jar']));
    expect((await readdir(join(slug, 'project'))).sort()).toEqual(['build.properties', 'plugins.sbt']);
    const slugKb = Number((await execa('du', ['-sk', slug])).stdout.split('\t')[0]);
    console.info(`scala-hello slug: ${slugKb} kB`);
    expect(slugKb).toBeLessThan(20_000);
    // sbt's downloads are in the app's build cache.
    expect(await readdir(join(cache(), 'coursier', 'cache', 'https', 'repo1.maven.org', 'maven2', 'org', 'scala-lang', 'scala-library'))).toContain('2.13.16');
    expect(await readdir(join(cache(), 'sbt', 'boot'))).toContain('scala-2.12.20');
  }, 300_000);

  it('rebuilds from the warm cache with Maven Central out of reach, and fails (keeping v1 serving) once a jar is missing', async () => {
    // Every download of the build goes through a proxy on a closed port: a build that fetched anything fails.
    const proxy = await freePort();
    const opts = `-Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=${proxy} -Dhttps.proxyHost=127.0.0.1 -Dhttps.proxyPort=${proxy}`;
    expect((await m.run(['config:set', `SBT_OPTS=${opts}`, '-a', APP], { timeout: 120_000 })).exitCode).toBe(0);
    await greet('Hi');
    const r = await up();
    expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
    console.info(`scala-hello warm build and release: ${r.seconds.toFixed(1)} s`);
    expect(r.stdout).not.toContain('Fetching');
    expect(r.stdout).not.toContain('[launcher] getting');
    expect((await m.get(APP)).body).toBe('Hi from Scala 2.13.16 on Java 17');

    // The same proxy, one jar taken out of the cache: now the build must download, and cannot.
    const jarDir = join(cache(), 'coursier', 'cache', 'https', 'repo1.maven.org', 'maven2', 'org', 'scala-lang', 'scala-library', '2.13.16');
    await rename(join(jarDir, 'scala-library-2.13.16.jar'), join(jarDir, 'moved-away'));
    try {
      await greet('Howdy');
      const failed = await up();
      expect(failed.exitCode).not.toBe(0);
      expect(failed.stdout).toMatch(/scala-library-2\.13\.16\.jar.*Connection refused/);
      // The build's error is one sentence naming what could not be fetched and from where.
      expect(String(failed.stderr), String(failed.stdout).split('\n').filter((l) => l.includes('error]')).slice(0, 14).join('\n')).toMatch(/^minik: sbt could not download scala-library-2\.13\.16\.jar: .*repo1\.maven\.org.* cannot be reached from this machine\nhint: check the network/);
      expect((await m.get(APP)).body).toBe('Hi from Scala 2.13.16 on Java 17');
    } finally {
      await rename(join(jarDir, 'moved-away'), join(jarDir, 'scala-library-2.13.16.jar'));
    }
  }, 600_000);

  it('leaves no sbt JVM when the daemon is SIGKILLed mid-build: the next daemon stops it, and the next build works', async () => {
    // A proxy that accepts and never answers holds sbt in a download for as long as the test needs.
    const held: Socket[] = [];
    const hole = createServer((s) => held.push(s));
    await new Promise<void>((r) => hole.listen(0, '127.0.0.1', r));
    const port = (hole.address() as { port: number }).port;
    const jarDir = join(cache(), 'coursier', 'cache', 'https', 'repo1.maven.org', 'maven2', 'org', 'scala-lang', 'scala-library', '2.13.16');
    try {
      const opts = `-Dhttps.proxyHost=127.0.0.1 -Dhttps.proxyPort=${port} -Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=${port}`;
      expect((await m.run(['config:set', `SBT_OPTS=${opts}`, '-a', APP], { timeout: 120_000 })).exitCode).toBe(0);
      await rename(join(jarDir, 'scala-library-2.13.16.jar'), join(jarDir, 'moved-away'));
      await greet('Hello');
      const building = up();
      await until(() => held.length > 0, 'sbt to ask the proxy for the missing jar', 120_000, 200);
      const before = sbtJvms();
      expect(before.length).toBeGreaterThan(0);
      process.kill((await m.daemonPid())!, 'SIGKILL');
      expect((await building).exitCode).not.toBe(0);
      expect(sbtJvms().map((p) => p.pid)).toEqual(before.map((p) => p.pid)); // nothing stopped it yet
      expect((await m.run(['apps', '--json'])).exitCode).toBe(0); // starts the daemon again
      await until(() => sbtJvms().length === 0, 'the old sbt JVM to be stopped', 30_000);
      for (const p of before) expect(alive(p.pid), `pid ${p.pid}`).toBe(false);
    } finally {
      for (const s of held) s.destroy();
      hole.close();
      await rename(join(jarDir, 'moved-away'), join(jarDir, 'scala-library-2.13.16.jar')).catch(() => {});
    }
    await until(async () => (await m.get(APP).catch(() => ({ status: 0 }))).status === 200, 'v2 to serve again', 90_000, 500);
    expect((await m.get(APP)).body).toBe('Hi from Scala 2.13.16 on Java 17');
    expect((await m.run(['config:unset', 'SBT_OPTS', '-a', APP], { timeout: 120_000 })).exitCode).toBe(0);
    const r = await up();
    expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect((await m.get(APP)).body).toBe('Hello from Scala 2.13.16 on Java 17');
  }, 400_000);
});

function comm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}
