// Issue 19: the Clojure buildpack with the system's Leiningen and JDK: an app with Clojure and data.json from
// Maven Central, built after a daemon SIGKILLed mid-download, refused in one sentence when a repository, the
// Clojure CLI or lein is missing, then rebuilt from the cached repository with every download made impossible
// and run by lein in the dyno from the repository in its slug.
import { execa, execaSync } from 'execa';
import { chmod, copyFile, link, mkdir, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markedProcesses, ownedBy } from '../../src/supervisor/owner.js';
import { BIN, copyFixture, freePort, minik, until, type Minik } from './harness.js';
import { missingTools } from './toolchain.js';

const APP = 'clojure-hello';
const GREETING = 'Hello from Clojure 1.11.1';

/** `minik: <one sentence>` then `hint: …`, nothing else on stderr. */
function oneSentence(stderr: string): string {
  const lines = String(stderr).trim().split('\n').filter((l) => !/(\.\.\. failed|… done)$/.test(l));
  expect(lines).toHaveLength(2);
  expect(lines[1]).toMatch(/^hint: /);
  return lines[0]!;
}

/** Every file of a folder tree with its size and mtime, to show a build changed nothing in it. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    const s = await stat(file);
    files.set(file.slice(dir.length), `${s.size}@${s.mtimeMs}`);
  }
  return files;
}

/** True when `clojure` is Debian's clojure.main (installed by scripts/install-tools.sh), not the Clojure CLI. */
function onlyClojureMain(): boolean {
  if (missingTools(['clojure']) !== null) return false;
  const r = execaSync('clojure', ['-Sdescribe'], { reject: false, stdin: 'ignore', timeout: 60_000, env: { JAVA_TOOL_OPTIONS: '-Dclojure.main.report=stderr' } });
  if (r.exitCode === 0) console.warn('skipped: `clojure` here is the Clojure CLI, which builds deps.edn apps');
  return r.exitCode !== 0;
}

describe.skipIf(missingTools(['java', 'lein']) !== null)('Clojure buildpack', () => {
  let m: Minik;
  let dir: string;
  const hello = async () => JSON.parse((await m.get(APP)).body) as { greeting: string; java: string };
  const repository = () => join(m.home, 'cache', APP, 'clojure', 'home', '.m2', 'repository');
  beforeAll(async () => {
    m = await minik({ MINIK_BOOT_TIMEOUT: '60' });
    dir = await copyFixture(APP, join(m.home, 'src'));
  });
  afterAll(async () => { await m.stop(); });

  it('completes a build after the daemon was SIGKILLed mid-download, and serves the uberjar as web', async () => {
    const killed = m.run(['up', dir], { timeout: 240_000 });
    await until(async () => (await readdir(join(repository(), 'org', 'clojure')).catch(() => [])).length > 0, 'the first download', 120_000);
    process.kill((await m.daemonPid())!, 'SIGKILL');
    expect((await killed).exitCode).not.toBe(0);

    const up = await m.run(['up', dir], { timeout: 240_000 });
    expect(up.exitCode, `${up.stdout}\n${up.stderr}`).toBe(0);
    expect(up.stdout).toContain('-----> Clojure (Leiningen) app detected');
    expect(up.stdout).toMatch(/Using JDK 17[.\d]* .* for java.runtime.version=17/);
    expect(up.stdout).toContain('-----> Executing: lein uberjar');
    expect(markedProcesses(ownedBy(m.home, ['build']))).toEqual([]); // the killed build's lein is gone too
    expect(await hello()).toMatchObject({ greeting: GREETING, java: '17' });
    const info = JSON.parse(String((await m.run(['info', '--json', '-a', APP])).stdout)) as { buildpack: string; runtime: string; processTypes: Record<string, string> };
    expect(info.buildpack).toBe('clojure');
    expect(info.runtime).toMatch(/^java 17\.[\d.]+ \(.*\/bin\/java\)$/);
    expect(info.processTypes.web).toBe('java $JVM_OPTS -cp target/clojure-hello-1.0.0-standalone.jar clojure.main -m minik.hello');
    expect((await m.run(['info', '-a', APP])).stdout).toMatch(/Runtime: +java 17\./);
    for (const slug of await readdir(join(m.home, 'slugs', APP))) expect(await readdir(join(m.home, 'slugs', APP, slug))).not.toContain('.m2');
  }, 300_000);

  it('names the repository it could not reach in one sentence', async () => {
    const port = await freePort();
    const app = join(m.home, 'src', 'unreachable');
    await mkdir(app, { recursive: true });
    await writeFile(join(app, 'project.clj'), `(defproject unreachable "1.0.0"\n  :repositories [["private" "https://127.0.0.1:${port}/repo/"]]\n  :dependencies [[org.clojure/clojure "1.11.1"] [minik.test/nowhere "1.0.0"]]\n  :main unreachable.core)\n`);
    const up = await m.run(['up', app], { timeout: 240_000 });
    expect(up.exitCode).not.toBe(0);
    expect(oneSentence(up.stderr)).toMatch(new RegExp(`^minik: Leiningen could not download minik\\.test:nowhere:(jar|pom):1\\.0\\.0: the repositor(y|ies) .*private \\(https://127\\.0\\.0\\.1:${port}/repo/\\).* cannot be reached from this machine$`));
  }, 300_000);

  it.skipIf(!onlyClojureMain())("refuses a deps.edn app when `clojure` is Debian's clojure.main, not the Clojure CLI", async () => {
    const app = join(m.home, 'src', 'deps-app');
    await mkdir(app, { recursive: true });
    await writeFile(join(app, 'deps.edn'), '{:deps {org.clojure/clojure {:mvn/version "1.11.1"}}}\n');
    const up = await m.run(['up', app], { timeout: 120_000 });
    expect(up.exitCode).not.toBe(0);
    expect(up.stdout).toContain('-----> Clojure (CLI) app detected');
    expect(oneSentence(up.stderr)).toMatch(/^minik: Clojure CLI app detected \(deps\.edn\), but \/\S+\/clojure is not the Clojure CLI \('clojure -Sdescribe' failed\), so it cannot read deps\.edn \(Debian's clojure package is only clojure\.main\)$/);
  }, 180_000);

  it('fails at once naming the Debian package when lein is missing, after a daemon stop, the old release still serving', async () => {
    expect((await m.run(['daemon', 'stop'])).exitCode).toBe(0);
    // Builds put the daemon's node folder first on PATH; where that is /usr/bin (Debian's nodejs) it holds lein
    // too, so this daemon runs a node of its own folder: a hard link (a copy across file systems).
    const nodeDir = join(m.home, 'node-bin');
    const node = join(nodeDir, 'node');
    await mkdir(nodeDir);
    await link(process.execPath, node).catch(async () => { await copyFile(process.execPath, node); await chmod(node, 0o755); });
    const bin = join(m.home, 'bin-without-lein');
    await mkdir(bin);
    for (const name of await readdir('/usr/bin')) if (name !== 'lein' && name !== 'node') await symlink(join('/usr/bin', name), join(bin, name));
    const up = await execa(node, [BIN, 'up', dir], { env: { ...m.env, PATH: bin }, cwd: m.home, reject: false, stdin: 'ignore', timeout: 120_000 });
    expect(up.exitCode).not.toBe(0);
    expect(oneSentence(up.stderr)).toBe('minik: Clojure app detected, but no `lein` on PATH: install Leiningen (Debian: apt-get install leiningen)');
    expect(up.stdout).not.toContain('Executing');
    await until(async () => (await m.get(APP)).status === 200, 'the old release to serve again after the daemon stop', 90_000);
    expect((await hello()).greeting).toBe(GREETING);
  }, 300_000);

  it('rebuilds from the cached repository with every download refused (a dead https_proxy), LEIN_BUILD_TASK honoured, and lein runs web from the repository in the slug', async () => {
    expect((await m.run(['daemon', 'stop'])).exitCode).toBe(0); // back to the full PATH
    const deadProxy = `https_proxy=http://127.0.0.1:${await freePort()}`;
    const set = await m.run(['config:set', deadProxy, 'LEIN_BUILD_TASK=with-profile production uberjar', '-a', APP], { timeout: 120_000 });
    expect(set.exitCode, set.stderr).toBe(0);
    await writeFile(join(dir, 'Procfile'), 'web: lein with-profile production trampoline run\n');
    const before = await snapshot(repository());
    expect(before.size).toBeGreaterThan(10);
    const up = await m.run(['up', dir], { timeout: 240_000 });
    expect(up.exitCode, `${up.stdout}\n${up.stderr}`).toBe(0);
    expect(up.stdout).toContain('-----> Executing: lein with-profile production uberjar');
    expect(up.stdout).not.toContain('Retrieving');
    expect(await snapshot(repository())).toEqual(before);
    expect(up.stdout).toContain('Copying the dependency repository into the slug (.m2), for lein at run time');
    expect((await hello()).greeting).toBe(GREETING);
    const ps = JSON.parse(String((await m.run(['ps', '--json', '-a', APP])).stdout)) as { command: string }[];
    expect(ps.map((d) => d.command)).toEqual(['lein with-profile production trampoline run']);
  }, 300_000);
});
