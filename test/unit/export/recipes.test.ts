// The Dockerfile recipes: one per buildpack, each picking its base image from the app's own files.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validate as lintDockerfile } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { dockerfileText, dockerignoreText } from '../../../src/export/dockerfile.js';
import { DOCKER_RECIPES, jdkMajor, nodeMajor } from '../../../src/export/recipes.js';
import { readManifests } from '../../../src/export/gather.js';
import { projectSbtText, usesPlay } from '../../../src/core/sbt.js';
import { parseFormat, planExport, redact, REDACTED } from '../../../src/export/index.js';
import { fixtureData, fixtureOptions, SECRET_VALUES } from './helpers.js';

describe('nodeMajor', () => {
  it.each([
    [undefined, 'v22.3.0', 22], ['20.x', 'v22.3.0', 20], ['>=18', 'v20.19.0', 20], ['^18.17', 'v20.19.0', 18],
    ['>=18 <21', 'v22.1.0', 20], ['not a range', 'v20.1.0', 20], ['24.x', 'v20.1.0', 24],
  ])('engines.node %s with minik on %s → node:%i-slim', (range, running, major) => {
    expect(nodeMajor(range, running)).toBe(major);
  });
});

describe('Dockerfile recipes', () => {
  it('has one entry per buildpack minik has or is adding', () => {
    expect(Object.keys(DOCKER_RECIPES).sort()).toEqual(['clojure', 'go', 'java', 'node', 'php', 'procfile', 'python', 'ruby', 'scala', 'static']);
  });

  it.each([
    ['python', { '.python-version': '3.12\n', 'requirements.txt': '' }, 'python:3.12-slim', 'RUN pip install --no-cache-dir -r requirements.txt'],
    ['python', { 'runtime.txt': 'python-3.11.9\n', 'pyproject.toml': '' }, 'python:3.11.9-slim', 'RUN pip install --no-cache-dir .'],
    ['static', {}, 'busybox:1.37', 'httpd -f -v -p \\"$PORT\\" -h /app'],
    ['procfile', {}, 'heroku/heroku:24', 'COPY . .'],
    ['go', { 'go.mod': 'module x\n\ngo 1.22\n' }, 'golang:1.22', 'RUN mkdir -p bin && go build -o bin/ ./...'],
    ['ruby', { '.ruby-version': 'ruby-3.3.1\n', 'Gemfile.lock': '' }, 'ruby:3.3.1-slim', 'RUN bundle install'],
    ['php', { 'composer.json': '{"require": {"php": "^8.2"}}' }, 'php:8.2-cli', 'RUN composer install --no-dev --optimize-autoloader --no-interaction'],
    ['java', { 'pom.xml': '', 'system.properties': 'java.runtime.version=17\n' }, 'maven:3-eclipse-temurin-17', 'RUN mvn -B -DskipTests clean package'],
    ['clojure', { 'project.clj': '', 'system.properties': 'java.runtime.version=17\n' }, 'clojure:temurin-17-lein', 'COPY . .\nRUN lein uberjar\n'],
    ['clojure', { 'deps.edn': '{:aliases {:build {:deps {}}}}' }, 'clojure:temurin-21-tools-deps', 'RUN clojure -T:build uber'],
    ['scala', { 'system.properties': 'java.runtime.version=1.8\n' }, 'eclipse-temurin:8-jdk', 'ADD --checksum=sha256:f92a2095ac75008764fe3b2b793ffe624c4fbef5bfd9b0022e4bc2daf668c651 https://repo1.maven.org/maven2/org/scala-sbt/sbt-launch/1.11.7/sbt-launch-1.11.7.jar /usr/local/lib/sbt-launch.jar\nCOPY . .\nRUN java -Xss4m -Dsbt.log.noformat=true -Dsbt.supershell=false -jar /usr/local/lib/sbt-launch.jar compile stage'],
    ['scala', {}, 'eclipse-temurin:21-jdk', 'rm -rf /root/.sbt /root/.ivy2 /root/.cache && { for f in target/universal/stage/bin/* */target/universal/stage/bin/*'],
    ['scala', {}, 'eclipse-temurin:21-jdk', 'find target -mindepth 1 -maxdepth 1 ! -name universal ! -name out -exec rm -rf {} +; } && rm -rf project/target project/project/target; fi; }\nEXPOSE'],
    ['scala', { 'project/plugins.sbt': 'addSbtPlugin("org.playframework" % "sbt-plugin" % "3.0.9")\n' }, 'eclipse-temurin:21-jdk', `fi; }\nRUN mkdir -p .profile.d && echo 'export JAVA_OPTS="-Dplay.server.pidfile.path=/dev/null\${JAVA_OPTS:+ $JAVA_OPTS}"' > .profile.d/scala.sh\n`],
    ['scala', { 'project/play.sbt': 'addSbtPlugin("com.typesafe.play" % "sbt-plugin" % "2.9.1")\n' }, 'eclipse-temurin:21-jdk', 'RUN mkdir -p .profile.d && echo'],
    ['node', { 'package.json': '{"scripts":{"heroku-prebuild":"x","build":"y","heroku-postbuild":"z"}}' }, 'node:20-slim', 'RUN npm run heroku-prebuild\nRUN npm install --include=dev\nRUN npm run build\nRUN npm run heroku-postbuild\nRUN npm prune'],
  ])('%s: FROM its version, then its build steps', async (buildpack, files, base, step) => {
    const text = dockerfileText(await fixtureData({ buildpack, files }));
    expect(text).toContain(`\nFROM ${base}\nWORKDIR /app\nENV PORT=5000\n`);
    expect(text).toContain(step);
    expect(text).toMatch(/\nCMD \["\/bin\/sh","-c","for f in \.profile\.d\/\*\.sh; do .*; exec .*"\]\n$/);
    // dockerfile-utils (the Dockerfile language server's checks): no error and no warning.
    expect(lintDockerfile(text).map((d) => `line ${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it('scala: runs the tasks the buildpack runs (SBT_TASKS, SBT_CLEAN, SBT_PROJECT) and keeps compile output with KEEP_SBT_CACHE=true', async () => {
    const text = dockerfileText(await fixtureData({ buildpack: 'scala', files: {}, config: { SBT_TASKS: 'assembly', SBT_CLEAN: 'true', SBT_PROJECT: 'web', KEEP_SBT_CACHE: 'true' } }));
    expect(text).toContain('RUN java -Xss4m -Dsbt.log.noformat=true -Dsbt.supershell=false -jar /usr/local/lib/sbt-launch.jar web/clean web/assembly && rm -rf /root/.sbt /root/.ivy2 /root/.cache\n');
    expect(text).not.toContain('find target');
    expect(dockerfileText(await fixtureData({ buildpack: 'scala', files: {}, config: { SBT_TASKS: "a 'b" } }))).toContain(`sbt-launch.jar a ''\\''b' && rm`);
  });

  it('scala: .dockerignore leaves out sbt\'s output folders, not the meta-build sources in project/project', async () => {
    expect(dockerignoreText(await fixtureData({ buildpack: 'scala', files: {} })).split('\n').slice(4, 7)).toEqual(['target', 'project/target', 'project/project/target']);
  });

  it('JVM images use the JDK major the release was built with, else the one system.properties names as the buildpack reads it', async () => {
    const runtime = { language: 'java', version: '17.0.12', executable: '/usr/lib/jvm/java-17/bin/java' };
    expect(jdkMajor(await fixtureData({ runtime, files: { 'system.properties': 'java.runtime.version=17\n' } }))).toBe(17);
    expect(jdkMajor(await fixtureData({ runtime, files: {} }))).toBe(17);
    expect(jdkMajor(await fixtureData({ runtime: { ...runtime, language: 'node', version: '20.19.0' }, files: {} }))).toBe(21);
    expect(jdkMajor(await fixtureData({ files: { 'system.properties': 'java.runtime.version: zulu-11\n' } }))).toBe(11);
    expect(jdkMajor(await fixtureData({ files: { 'system.properties': 'java.runtime.version=1.8\n' } }))).toBe(8);
    expect(jdkMajor(await fixtureData({ files: {} }))).toBe(21);
    expect(DOCKER_RECIPES.scala!.base(await fixtureData({ runtime, files: {} }))).toBe('eclipse-temurin:17-jdk');
  });

  it('reads every project/*.sbt of an sbt build, as the Scala buildpack does', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'minik-export-'));
    try {
      await mkdir(join(dir, 'project', 'project'), { recursive: true });
      await writeFile(join(dir, 'project', 'play.sbt'), 'addSbtPlugin("org.playframework" % "sbt-plugin" % "3.0.9")\n');
      await writeFile(join(dir, 'project', 'build.properties'), 'sbt.version=1.11.7\n');
      await writeFile(join(dir, 'project', 'project', 'meta.sbt'), '');
      const files = await readManifests(dir);
      expect(Object.keys(files).filter((f) => f.startsWith('project/'))).toEqual(['project/play.sbt']);
      expect(usesPlay(projectSbtText(files))).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('leaves out what the image builds itself and what .slugignore lists', async () => {
    expect(dockerignoreText(await fixtureData()).split('\n').slice(1)).toEqual(['.git', '.env', 'minik-export', 'node_modules', '*.md', 'test/', '']);
  });
});

describe('planExport', () => {
  it.each(['k8s', 'compose', 'systemd'] as const)('%s: a PORT, DYNO or PS config var does not override the platform', async (format) => {
    const data = await fixtureData({ config: { PORT: '1234', DYNO: 'x.9', PS: 'x.9', KEEP: 'kept' }, addons: [] });
    const secretFiles = planExport(format, data, fixtureOptions(format)).files.filter((f) => f.mode === 0o600);
    for (const f of secretFiles) {
      expect(f.content).toMatch(/KEEP/);
      expect(f.content).not.toMatch(/1234|x\.9/);
    }
  });

  it('refuses an unknown format in one sentence with the formats there are', () => {
    expect(() => parseFormat('helm')).toThrow("unknown export format 'helm'");
    try { parseFormat('helm'); } catch (e) { expect((e as { hint: string }).hint).toMatch(/k8s, compose, systemd, dockerfile/); }
  });

  it.each(['k8s', 'compose', 'systemd', 'dockerfile'] as const)('%s with redacted data shows no secret anywhere (what --json prints)', async (format) => {
    const plan = planExport(format, redact(await fixtureData()), fixtureOptions(format));
    const text = JSON.stringify(plan);
    for (const s of SECRET_VALUES) expect(text).not.toContain(JSON.stringify(s).slice(1, -1));
    if (format !== 'dockerfile') expect(text).toContain(REDACTED);
  });
});
