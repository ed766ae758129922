import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MinikError } from '../../../src/core/errors.js';
import { buildpacks, detectBuildpack, getBuildpack } from '../../../src/buildpacks/index.js';
import { FIXTURES, tempDirs } from './helpers.js';

const temp = tempDirs();
afterAll(() => temp.cleanup());

async function dirWith(files: Record<string, string>): Promise<string> {
  const dir = await temp.make();
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

describe('detectBuildpack', () => {
  it('declares the detection order once', () => {
    expect(buildpacks.map((b) => b.name)).toEqual(['node', 'python', 'clojure', 'java', 'scala', 'ruby', 'go', 'php', 'static', 'procfile']);
  });

  it.each([
    ['node-hello', 'node'],
    ['node-procfile', 'node'],
    ['node-deps', 'node'],
    ['python-hello', 'python'],
    ['static-site', 'static'],
    ['procfile-multi', 'procfile'],
    ['broken-procfile', 'procfile'],
    ['java-hello', 'java'],
    ['clojure-hello', 'clojure'],
    ['scala-hello', 'scala'],
    ['go-hello', 'go'],
    ['ruby-hello', 'ruby'],
    ['php-hello', 'php'],
  ])('detects fixtures/%s as %s', async (fixture, name) => {
    expect((await detectBuildpack(path.join(FIXTURES, fixture))).name).toBe(name);
  });

  it.each([
    [{ 'pyproject.toml': '' }, 'python'],
    [{ 'Pipfile.lock': '{}' }, 'python'],
    [{ 'uv.lock': '' }, 'python'],
    [{ 'poetry.lock': '' }, 'python'],
    [{ '.python-version': '3.11', 'main.py': '' }, 'python'],
    [{ 'runtime.txt': 'python-3.11.7', 'app.py': '', Procfile: 'web: python3 app.py' }, 'python'],
    [{ '.python-version': '3.11', Procfile: 'web: x' }, 'procfile'],
    [{ 'package.json': '{}', 'requirements.txt': '' }, 'node'],
    [{ 'requirements.txt': '', 'index.html': '' }, 'python'],
    [{ 'index.html': '', Procfile: 'web: x' }, 'procfile'],
    [{ 'build.gradle.kts': '', gradlew: '' }, 'java'],
    [{ 'pom.xml': '', Gemfile: '' }, 'java'],
    [{ Gemfile: '', 'go.mod': 'module x' }, 'ruby'],
    [{ 'go.mod': 'module x', 'index.php': '' }, 'go'],
    [{ 'index.php': '', 'index.html': '' }, 'php'],
    [{ 'package.json': '{}', 'pom.xml': '' }, 'node'],
    [{ 'build.sbt': '' }, 'scala'],
    [{ 'app.sbt': '', Procfile: 'web: x' }, 'scala'],
    [{ 'project/build.properties': 'sbt.version=1.11.7' }, 'scala'],
    [{ 'project/Build.scala': '' }, 'scala'],
    [{ '.sbtrc': '' }, 'scala'],
    [{ 'pom.xml': '', 'build.sbt': '' }, 'java'],
    [{ 'build.sbt': '', Gemfile: '' }, 'scala'],
    [{ 'project/plugins.sbt': '', 'index.html': '' }, 'static'],
  ])('detects %j as %s', async (files, name) => {
    expect((await detectBuildpack(await dirWith(files))).name).toBe(name);
  });

  it('ignores a folder named like a marker', async () => {
    const dir = await dirWith({ 'package.json/x': '', 'index.html': '' });
    expect((await detectBuildpack(dir)).name).toBe('static');
  });

  it('names the folder and lists the markers when nothing matches', async () => {
    const dir = await dirWith({ 'README.md': '# hi', 'main.py': '' });
    const err = await detectBuildpack(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MinikError);
    expect((err as MinikError).code).toBe('invalid');
    expect((err as MinikError).message).toBe(`no buildpack detected for ${dir}`);
    expect((err as MinikError).hint).toBe(
      'add a Procfile, package.json (Node), requirements.txt/pyproject.toml (Python), project.clj/deps.edn (Clojure), pom.xml (Java), build.sbt (Scala), Gemfile (Ruby), go.mod (Go), composer.json/index.php (PHP) or index.html (static)',
    );
  });
});

describe('getBuildpack', () => {
  it('finds a buildpack by name and rejects unknown names', () => {
    expect(getBuildpack('python').name).toBe('python');
    expect(getBuildpack('ruby').name).toBe('ruby');
    expect(getBuildpack('scala').name).toBe('scala');
    expect(() => getBuildpack('cobol')).toThrow("unknown buildpack 'cobol'");
  });
});
