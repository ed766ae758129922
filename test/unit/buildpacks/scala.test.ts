// The Scala (sbt) buildpack's rules without a JVM: sbt.version, SBT_TASKS, the staged web process, how sbt is
// started, the launcher fetch (a local server stands in for Maven Central), and a build through an app's ./sbt script.
import { createHash } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MinikError } from '../../../src/core/errors.js';
import { SBT_LAUNCHER, usesPlay } from '../../../src/core/sbt.js';
import { builtinBuildpack } from '../../../src/buildpacks/index.js';
import { chooseJdk } from '../../../src/buildpacks/java-jdk.js';
import { sbtLauncher } from '../../../src/buildpacks/sbt-launcher.js';
import {
  GLOBAL_SETTINGS, isMissingStage, parseSbtVersion, requireSbtVersion, requireSplittableOptions, sbtCommand, sbtDirs, sbtJvmOptions, sbtTasks, stagedWebCommand,
} from '../../../src/buildpacks/scala-sbt.js';
import { outputsKey, scalaBuildpack } from '../../../src/buildpacks/scala.js';
import { requireNoSpaces } from '../../../src/buildpacks/util.js';
import { missingTools } from '../../e2e/toolchain.js';
import { buildContext, copyFixture, tempDirs } from './helpers.js';

const temp = tempDirs();
afterAll(() => temp.cleanup());

describe('sbt.version', () => {
  it.each([
    ['sbt.version=1.11.7\n', '1.11.7', 1],
    ['#Activator-generated Properties\n#Wed Aug 13\nsbt.version = 1.10.2\r\n', '1.10.2', 3],
    ['sbt.version: 2.0.1', '2.0.1', 1],
    ['sbt.version 1.9.9', '1.9.9', 1],
    ['# sbt.version=0.13.5\n  sbt.version=1.5.0', '1.5.0', 2],
  ])('reads %j', (text, version, line) => {
    expect(parseSbtVersion(text)).toEqual({ version, line });
  });

  it('is absent from a file without the key or with it commented out', () => {
    expect(parseSbtVersion('')).toBeNull();
    expect(parseSbtVersion('! sbt.version=1.0.0\nsbt.versions=1.0\n')).toBeNull();
  });

  it('is required, as on Heroku, and names the file and what to write', () => {
    expect(requireSbtVersion('sbt.version=1.11.7\n')).toBe('1.11.7');
    const none = catchError(() => requireSbtVersion(null));
    expect(none.message).toBe('Scala app detected, but it has no project/build.properties');
    expect(none.hint).toContain("put the line 'sbt.version=1.11.7' in project/build.properties");
    expect(catchError(() => requireSbtVersion('foo=bar\n')).message).toBe('Scala app detected, but project/build.properties does not set sbt.version');
    expect(catchError(() => requireSbtVersion('sbt.version=\n')).message).toBe('Scala app detected, but project/build.properties does not set sbt.version');
  });

  it('refuses sbt 0.x with the line and the way out', () => {
    const old = catchError(() => requireSbtVersion('#Activator\ntemplate.uuid=a8\nsbt.version=0.13.5\n'));
    expect(old.message).toBe('project/build.properties line 3: sbt.version=0.13.5 is sbt 0.x, which minik does not build (sbt 1.x and 2.x only)');
    expect(old.hint).toContain('migrate to sbt 1.x');
    expect(old.code).toBe('build_failed');
  });
});

describe('sbt tasks', () => {
  it.each([
    [{}, ['compile', 'stage']],
    [{ SBT_TASKS: '  ' }, ['compile', 'stage']],
    [{ SBT_TASKS: 'clean  assembly\n' }, ['clean', 'assembly']],
    [{ SBT_CLEAN: 'true' }, ['clean', 'compile', 'stage']],
    [{ SBT_CLEAN: 'yes' }, ['compile', 'stage']],
    [{ SBT_PROJECT: 'web' }, ['web/compile', 'web/stage']],
    [{ SBT_PROJECT: 'api', SBT_TASKS: 'test:compile stage', SBT_CLEAN: 'true' }, ['api/clean', 'api/test:compile', 'api/stage']],
  ])('%j runs %j', (env, tasks) => {
    expect(sbtTasks(env)).toEqual(tasks);
  });
});

describe('the staged web process', () => {
  it("is the one start script, with Play's http.port", () => {
    expect(stagedWebCommand(['target/universal/stage/bin/scala-hello', 'target/universal/stage/bin/scala-hello.bat'])).toBe('target/universal/stage/bin/scala-hello -Dhttp.port=$PORT');
    expect(stagedWebCommand(['web/target/universal/stage/bin/my app'])).toBe("'web/target/universal/stage/bin/my app' -Dhttp.port=$PORT");
  });

  it('is none when there is no script or several', () => {
    expect(stagedWebCommand([])).toBeNull();
    expect(stagedWebCommand(['a/target/universal/stage/bin/a', 'b/target/universal/stage/bin/b'])).toBeNull();
  });

  it("tells sbt's complaint about a missing stage task", () => {
    expect(isMissingStage('[error] Not a valid key: stage (similar: state, stager, test)')).toBe(true);
    expect(isMissingStage('[error] Not a valid command: stage')).toBe(true);
    expect(isMissingStage('[error] Not a valid key: stages')).toBe(false);
    expect(isMissingStage('[info] compiling 1 Scala source')).toBe(false);
  });
});

describe('how sbt starts', () => {
  const dirs = sbtDirs('/c');
  const jvm = sbtJvmOptions(dirs);

  it("keeps every folder sbt writes in the app's cache", () => {
    expect(jvm).toEqual(expect.arrayContaining([
      '-Duser.home=/c/home', '-Dsbt.global.base=/c/sbt/global', '-Dsbt.boot.directory=/c/sbt/boot', '-Dsbt.ivy.home=/c/ivy2',
      '-Dsbt.coursier.home=/c/coursier', '-Djava.io.tmpdir=/c/tmp', '-Dfile.encoding=UTF-8',
    ]));
    expect(dirs.outputs).toBe('/c/outputs');
    expect(GLOBAL_SETTINGS).toContain('Compile / doc / sources := Nil');
  });

  it("gives the launcher java's arguments, the app's SBT_OPTS last, and scripts the same in SBT_OPTS", () => {
    const launcher = sbtCommand({ kind: 'launcher', file: '/t/sbt-launch.jar' }, '/jdk/bin/java', jvm, ['-Xmx2g'], ['compile', 'stage']);
    expect(launcher.file).toBe('/jdk/bin/java');
    expect(launcher.args).toEqual([...jvm, '-Xmx2g', '-jar', '/t/sbt-launch.jar', 'compile', 'stage']);
    const script = sbtCommand({ kind: 'script', file: './sbt' }, '/jdk/bin/java', jvm, ['-Xmx2g'], ['stage']);
    expect(script).toEqual({ file: 'bash', args: ['./sbt', 'stage'], sbtOptsEnv: [...jvm, '-Xmx2g'].join(' ') });
    expect(sbtCommand({ kind: 'path', file: '/usr/bin/sbt' }, '/j', [], [], ['stage'])).toEqual({ file: '/usr/bin/sbt', args: ['stage'], sbtOptsEnv: '' });
  });

  it('lets sbt 1.x use Unsafe and JNA quietly on JDK 24 and later only (older JVMs refuse the flags)', () => {
    expect(sbtJvmOptions(dirs, 25)).toEqual(expect.arrayContaining(['--enable-native-access=ALL-UNNAMED', '--sun-misc-unsafe-memory-access=allow']));
    expect(sbtJvmOptions(dirs, 21).some((o) => o.startsWith('--'))).toBe(false);
  });

  it('tells Play apps by their sbt plugin', () => {
    expect(usesPlay('addSbtPlugin("org.playframework" % "sbt-plugin" % "3.0.9")')).toBe(true);
    expect(usesPlay('addSbtPlugin("com.typesafe.play" %  "sbt-plugin" % "2.9.1")')).toBe(true);
    expect(usesPlay('addSbtPlugin("com.github.sbt" % "sbt-native-packager" % "1.11.7")')).toBe(false);
  });

  it('fails at once without a JDK, naming the Debian package (no Maven: sbt is not a Debian package)', () => {
    const err = catchError(() => chooseJdk([], null, 'Scala'));
    expect(err.message).toBe('Scala app detected, but no JDK was found (no java on PATH, JAVA_HOME or /usr/lib/jvm)');
    expect(err.hint).toBe('install one (Debian: apt-get install openjdk-17-jdk-headless), then run minik up again');
  });

  it('is the built-in heroku/scala names', () => {
    expect(builtinBuildpack('heroku/scala')?.name).toBe('scala');
  });
});

describe('a build cache path with spaces', () => {
  it('is refused, naming the path and the tool whose script splits Java options, and what to do', () => {
    expect(() => requireNoSpaces('/home/dev/.minik/cache/app/scala', 'Leiningen')).not.toThrow();
    const err = catchError(() => requireNoSpaces('/home/dev/My Files/.minik/cache/app/scala', 'Leiningen'));
    expect(err.message).toBe("Leiningen cannot use the build cache at '/home/dev/My Files/.minik/cache/app/scala': its script splits Java options on spaces");
    expect(err.hint).toBe('use a MINIK_HOME without spaces, then run minik up again');
    expect(err.code).toBe('build_failed');
    expect(() => requireNoSpaces('/a\tb', 'x')).toThrow("x cannot use the build cache at '/a\tb'");
  });

  it("is refused only when sbt gets its options through SBT_OPTS (a script), not as the launcher's arguments", () => {
    const spaced = '/home/dev/My Files/cache/app/scala';
    expect(() => requireSplittableOptions({ kind: 'launcher', file: '/t/sbt-launch.jar' }, spaced)).not.toThrow();
    expect(() => requireSplittableOptions({ kind: 'script', file: './sbt' }, spaced)).toThrow(`the app's ./sbt cannot use the build cache at '${spaced}'`);
    expect(() => requireSplittableOptions({ kind: 'path', file: '/usr/bin/sbt' }, spaced)).toThrow(`/usr/bin/sbt cannot use the build cache at '${spaced}'`);
    expect(() => requireSplittableOptions({ kind: 'script', file: './sbt' }, '/c/cache/app/scala')).not.toThrow();
  });
});

describe("sbt's launcher", () => {
  const jar = Buffer.from('not really a jar, but bytes with a known hash');
  const sha256 = createHash('sha256').update(jar).digest('hex');
  let server: Server;
  let base = '';
  let requests = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      requests++;
      if (req.url === '/sbt-launch.jar') res.end(jar);
      else res.writeHead(404, 'Not Found').end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));
  const spec = (file: string, hash = sha256) => ({ version: '9.9.9', url: `${base}/${file}`, sha256: hash, fileName: 'sbt-launch-9.9.9.jar' });

  it('is fetched once, checked against its SHA-256, and fetched again when the jar on disk was altered', async () => {
    const tools = await temp.make();
    const ctx = buildContext(await temp.make(), await temp.make());
    const got = await sbtLauncher(ctx, spec('sbt-launch.jar'), tools);
    expect(got).toBe(path.join(tools, 'sbt-launch-9.9.9.jar'));
    expect(await readFile(got)).toEqual(jar);
    expect(ctx.lines[0]).toBe(`-----> Fetching sbt's launcher 9.9.9 from 127.0.0.1:${new URL(base).port} (once, into ${tools})`);
    const seen = requests;
    expect(await sbtLauncher(ctx, spec('sbt-launch.jar'), tools)).toBe(got);
    expect(requests).toBe(seen);
    await writeFile(got, 'truncated');
    expect(await readFile(await sbtLauncher(ctx, spec('sbt-launch.jar'), tools))).toEqual(jar);
    expect(requests).toBe(seen + 1);
  });

  it('fails at once, naming the URL, the reason and what to install, and leaves nothing behind', async () => {
    const tools = await temp.make();
    const ctx = buildContext(await temp.make(), await temp.make());
    const wrong = await sbtLauncher(ctx, spec('sbt-launch.jar', 'f'.repeat(64)), tools).catch((e: unknown) => e as MinikError);
    expect(wrong.message).toBe(`Scala app detected, but there is no sbt: no sbt script in the app, no \`sbt\` on PATH, and sbt's launcher could not be fetched from ${base}/sbt-launch.jar: its SHA-256 is ${sha256}, not the pinned ${'f'.repeat(64)}`);
    expect(wrong.hint).toContain('install sbt (not in Debian: https://www.scala-sbt.org/download/)');
    expect(wrong.hint).toContain(`or save that jar as ${path.join(tools, 'sbt-launch-9.9.9.jar')}`);
    await expect(sbtLauncher(ctx, spec('missing.jar'), tools)).rejects.toThrow(`could not be fetched from ${base}/missing.jar: HTTP 404 Not Found`);
    const closed = `http://127.0.0.1:${await closedPort()}/sbt-launch.jar`;
    await expect(sbtLauncher(ctx, { ...spec('x'), url: closed }, tools)).rejects.toThrow(`could not be fetched from ${closed}: connect ECONNREFUSED`);
    expect(await readdir(tools)).toEqual([]);
  });

  it('pins the jar Maven Central serves for sbt 1.11.7', () => {
    expect(SBT_LAUNCHER.url).toBe(`https://repo1.maven.org/maven2/org/scala-sbt/sbt-launch/${SBT_LAUNCHER.version}/${SBT_LAUNCHER.fileName}`);
    expect(SBT_LAUNCHER.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

// The app's own ./sbt stands in for sbt: it records how it was started and makes what sbt-native-packager makes.
const FAKE_SBT = `#!/usr/bin/env bash
set -e
{ echo "args=$*"; echo "home=$HOME"; echo "sbt_opts=$SBT_OPTS"; echo "java_opts=\${JAVA_OPTS-unset}"; echo "pwd=$PWD";
  echo "restored=$([ -f target/scala-2.13/classes/Main.class ] && echo yes || echo no)"; } > "$RECORD"
mkdir -p target/scala-2.13/classes target/streams project/target project/project/target target/universal/stage/bin target/universal/stage/lib
echo class > target/scala-2.13/classes/Main.class
printf '#!/bin/sh\\necho hi\\n' > target/universal/stage/bin/hello && chmod +x target/universal/stage/bin/hello
echo bat > target/universal/stage/bin/hello.bat
echo jar > target/universal/stage/lib/hello.jar
`;

describe.skipIf(missingTools(['java', 'bash']) !== null)('a build through the app\'s ./sbt', () => {
  it('passes the cache folders, keeps JAVA_OPTS out, stages web, drops compile output from the slug and restores it next time', async () => {
    const root = await temp.make();
    const cacheDir = path.join(root, 'cache');
    const record = path.join(root, 'record.txt');
    const build = async (name: string) => {
      const buildDir = await copyFixture('scala-hello', path.join(root, 'builds'), name);
      await writeFile(path.join(buildDir, 'sbt'), FAKE_SBT);
      await chmod(path.join(buildDir, 'sbt'), 0o644); // run with bash, executable or not
      const ctx = buildContext(buildDir, cacheDir, { RECORD: record, JAVA_OPTS: '-Xmx300m', SBT_OPTS: '-Dapp.opt=1' });
      return { ctx, buildDir, result: await scalaBuildpack.build(ctx) };
    };
    const first = await build('b1');
    expect(first.result.defaultProcessTypes).toEqual({ web: 'target/universal/stage/bin/hello -Dhttp.port=$PORT' });
    expect(first.result.runtime?.language).toBe('java');
    expect(first.ctx.lines).toContain("       sbt 1.11.7 (project/build.properties), started by the app's ./sbt");
    expect(first.ctx.lines).toContain('-----> Running: sbt compile stage');
    expect(first.ctx.lines).toContain('-----> Dropping compilation artifacts from the slug');
    const seen = Object.fromEntries((await readFile(record, 'utf8')).trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(seen.args).toBe('compile stage');
    expect(seen.home).toBe(path.join(cacheDir, 'home'));
    expect(seen.sbt_opts).toContain(`-Dsbt.ivy.home=${path.join(cacheDir, 'ivy2')}`);
    expect(seen.sbt_opts.endsWith(' -Dapp.opt=1')).toBe(true);
    expect(seen.java_opts).toBe('unset');
    expect(seen.pwd).toBe(path.join(root, 'builds', 'sbt', 'test-app')); // a stable folder name: sbt's caches key on it
    expect(seen.restored).toBe('no');
    // The slug: the staged app, no compile output; the cache: sbt's output without the staged app.
    expect(await readdir(path.join(first.buildDir, 'target'))).toEqual(['universal']);
    expect((await readdir(path.join(first.buildDir, 'project'))).sort()).toEqual(['build.properties', 'plugins.sbt']); // no empty project/project left
    expect(await readdir(path.join(cacheDir, 'outputs', 'target'))).toEqual(['scala-2.13', 'streams']);
    expect(await readFile(path.join(cacheDir, 'sbt', 'global', 'minik.sbt'), 'utf8')).toBe(GLOBAL_SETTINGS);
    expect(await readdir(path.join(first.buildDir, '.profile.d'))).toEqual(['java.sh']); // scala.sh is for Play apps
    await expect(stat(path.join(cacheDir, 'tmp'))).rejects.toThrow();

    const second = await build('b2');
    expect(second.result.defaultProcessTypes.web).toBe('target/universal/stage/bin/hello -Dhttp.port=$PORT');
    expect((await readFile(record, 'utf8'))).toContain('restored=yes');
  });

  it('reuses sbt\'s output only for the sbt version and JDK major it was made with', async () => {
    const root = await temp.make();
    const cacheDir = path.join(root, 'cache');
    const record = path.join(root, 'record.txt');
    const build = async (name: string, sbtVersion: string) => {
      const buildDir = await copyFixture('scala-hello', path.join(root, 'builds'), name);
      await writeFile(path.join(buildDir, 'sbt'), FAKE_SBT);
      await writeFile(path.join(buildDir, 'project', 'build.properties'), `sbt.version=${sbtVersion}\n`);
      await scalaBuildpack.build(buildContext(buildDir, cacheDir, { RECORD: record }));
      return /restored=(\w+)/.exec(await readFile(record, 'utf8'))?.[1];
    };
    expect(await build('b1', '1.11.7')).toBe('no');
    expect(await build('b2', '1.11.7')).toBe('yes');
    expect(await build('b3', '1.10.2')).toBe('no'); // another sbt: cold
    expect(await build('b4', '1.10.2')).toBe('yes');
    expect(outputsKey('1.10.2', 17)).not.toBe(outputsKey('1.10.2', 21)); // another JDK major: cold too
    expect(outputsKey('1.10.2', 17)).not.toBe(outputsKey('1.11.7', 17));
    expect(outputsKey('1.10.2', 17)).toBe(outputsKey('1.10.2', 17));
  });

  it("caches sbt's output of the meta-build (project/project/target), never the app's own project/project sources", async () => {
    const root = await temp.make();
    const cacheDir = path.join(root, 'cache');
    const record = path.join(root, 'record.txt');
    // A stand-in sbt: records the meta-build source it was given, then makes the meta-build's output.
    const sbt = '{ echo "deps=$(cat project/project/Deps.scala)"; echo "meta=$(cat project/project/target/meta.txt 2>/dev/null)"; } > "$RECORD"\n'
      + 'mkdir -p project/project/target target/universal/stage/bin && echo compiled > project/project/target/meta.txt\n'
      + 'printf x > target/universal/stage/bin/app && chmod +x target/universal/stage/bin/app\n';
    const build = async (name: string, deps: string) => {
      const buildDir = await copyFixture('scala-hello', path.join(root, 'builds'), name);
      await writeFile(path.join(buildDir, 'sbt'), sbt);
      await mkdir(path.join(buildDir, 'project', 'project'));
      await writeFile(path.join(buildDir, 'project', 'project', 'Deps.scala'), deps);
      await scalaBuildpack.build(buildContext(buildDir, cacheDir, { RECORD: record, SBT_TASKS: 'compile' }));
      return { buildDir, seen: await readFile(record, 'utf8') };
    };
    await build('b1', 'object Deps { val v = 1 }');
    const second = await build('b2', 'object Deps { val v = 2 }');
    expect(second.seen).toBe('deps=object Deps { val v = 2 }\nmeta=compiled\n'); // the new source, the old output
    expect(await readFile(path.join(second.buildDir, 'project', 'project', 'Deps.scala'), 'utf8')).toBe('object Deps { val v = 2 }');
    expect(await readdir(path.join(second.buildDir, 'project', 'project'))).toEqual(['Deps.scala']); // the slug drops only sbt's output
    expect(await readdir(path.join(cacheDir, 'outputs', 'project', 'project'))).not.toContain('Deps.scala');
  });

  it('keeps compile output with KEEP_SBT_CACHE=true, keeps Play from writing RUNNING_PID, and fails with what to add when there is no stage task', async () => {
    const root = await temp.make();
    const buildDir = await copyFixture('scala-hello', root);
    await writeFile(path.join(buildDir, 'project', 'play.sbt'), 'addSbtPlugin("org.playframework" % "sbt-plugin" % "3.0.9")\n');
    await writeFile(path.join(buildDir, 'sbt'), 'mkdir -p target/scala-2.13 target/universal/stage/bin\nprintf "x" > target/universal/stage/bin/a\nchmod +x target/universal/stage/bin/a\n');
    await scalaBuildpack.build(buildContext(buildDir, path.join(root, 'cache'), { KEEP_SBT_CACHE: 'true' }));
    expect((await readdir(path.join(buildDir, 'target'))).sort()).toEqual(['scala-2.13', 'universal']);
    expect(await readFile(path.join(buildDir, '.profile.d', 'scala.sh'), 'utf8')).toContain('export JAVA_OPTS="-Dplay.server.pidfile.path=/dev/null${JAVA_OPTS:+ $JAVA_OPTS}"');

    await writeFile(path.join(buildDir, 'sbt'), 'echo "[error] Not a valid key: stage (similar: state)"\nexit 1\n');
    const ctx = buildContext(buildDir, path.join(root, 'cache'));
    const err = await scalaBuildpack.build(ctx).catch((e: unknown) => e as MinikError);
    expect(err.message).toBe("sbt build failed: the app has no 'stage' task (Heroku's default tasks are 'compile stage')");
    expect(err.hint).toContain('addSbtPlugin("com.github.sbt" % "sbt-native-packager"');
    expect(ctx.lines).toContain('       [error] Not a valid key: stage (similar: state)');
    await stat(buildDir); // moved back after the failure too
  });

  it('uses the sbt on PATH when the app has no script of its own', async () => {
    const root = await temp.make();
    const buildDir = await copyFixture('scala-hello', root);
    const bin = path.join(root, 'bin');
    await mkdir(bin);
    await writeFile(path.join(bin, 'sbt'), '#!/bin/sh\necho "sbt on PATH ran: $*"\n', { mode: 0o755 });
    const ctx = buildContext(buildDir, path.join(root, 'cache'), { PATH: `${bin}:${process.env.PATH ?? ''}`, SBT_TASKS: 'compile' });
    expect((await scalaBuildpack.build(ctx)).defaultProcessTypes).toEqual({});
    expect(ctx.lines).toContain(`       sbt 1.11.7 (project/build.properties), started by ${path.join(bin, 'sbt')}`);
    expect(ctx.lines).toContain('       sbt on PATH ran: compile');
    expect(ctx.lines.at(-1)).toBe("       No staged app in target/universal/stage/bin/ (sbt-native-packager's stage): name the web process in a Procfile");
  });

  it('refuses a cache path with spaces before the app\'s ./sbt runs', async () => {
    const root = await temp.make();
    const buildDir = await copyFixture('scala-hello', root);
    await writeFile(path.join(buildDir, 'sbt'), 'touch ran\n');
    const cacheDir = path.join(root, 'my cache');
    await expect(scalaBuildpack.build(buildContext(buildDir, cacheDir))).rejects.toThrow(`the app's ./sbt cannot use the build cache at '${cacheDir}'`);
    await expect(stat(path.join(buildDir, 'ran'))).rejects.toThrow();
  });

  it('needs project/build.properties before anything runs', async () => {
    const root = await temp.make();
    const buildDir = path.join(root, 'app');
    await mkdir(buildDir);
    await writeFile(path.join(buildDir, 'build.sbt'), 'name := "x"\n');
    await expect(scalaBuildpack.build(buildContext(buildDir, path.join(root, 'cache')))).rejects.toThrow('Scala app detected, but it has no project/build.properties');
  });
});

/** A port nothing listens on: one the system just handed out and took back. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

function catchError(fn: () => unknown): MinikError {
  try {
    fn();
  } catch (err) {
    return err as MinikError;
  }
  throw new Error('expected an error');
}
