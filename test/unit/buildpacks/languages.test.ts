// The pure parts of the Java, Go, Ruby and PHP buildpacks, and the missing-toolchain message.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { goBinaryName, parseGoMod } from '../../../src/buildpacks/go.js';
import { chooseJdk, javaProfileLines, releaseFileVersion, type Jdk } from '../../../src/buildpacks/java-jdk.js';
import { javaMajor, requestedJavaVersion } from '../../../src/core/jdk.js';
import { runnableJar } from '../../../src/buildpacks/java.js';
import { composerRequires, documentRoot, phpWebCommand } from '../../../src/buildpacks/php.js';
import { isRails, rubyProcessTypes } from '../../../src/buildpacks/ruby.js';
import { requireTool } from '../../../src/buildpacks/toolchain.js';
import { tempDirs } from './helpers.js';

const temp = tempDirs();
afterAll(() => temp.cleanup());

describe('Go', () => {
  it('reads the module, go line and +heroku goVersion from go.mod', () => {
    expect(parseGoMod('// +heroku goVersion go1.21\nmodule "github.com/o/api/v2" // comment\n\ngo 1.22.1\n')).toEqual({
      module: 'github.com/o/api/v2', go: '1.22.1', herokuGoVersion: 'go1.21',
    });
    expect(() => parseGoMod('go 1.22\n')).toThrow('go.mod has no module line');
  });

  it("names the binary after the module's last path element, skipping a major-version suffix", () => {
    expect(goBinaryName('example.test/go-hello')).toBe('go-hello');
    expect(goBinaryName('github.com/o/api/v2')).toBe('api');
    expect(goBinaryName('hello')).toBe('hello');
  });
});

describe('Java', () => {
  const jdks: Jdk[] = [
    { home: '/usr/lib/jvm/java-17', major: 17, version: '17.0.15' },
    { home: '/usr/lib/jvm/temurin-25', major: 25, version: '25.0.1' },
  ];

  it('reads java.runtime.version and its major version', () => {
    expect(requestedJavaVersion('# x\njava.runtime.version=21.0.2\nmaven.version=3.9\n')).toBe('21.0.2');
    expect(requestedJavaVersion('maven.version=3.9')).toBeNull();
    expect([javaMajor('1.8'), javaMajor('17'), javaMajor('21.0.2'), javaMajor('zulu-11'), javaMajor('x')]).toEqual([8, 17, 21, 11, null]);
    expect(releaseFileVersion('IMPLEMENTOR="Debian"\nJAVA_VERSION="17.0.15"\n')).toBe('17.0.15');
  });

  it('chooses the JDK whose major version matches, the first by default, and names what is installed otherwise', () => {
    expect(chooseJdk(jdks, null).major).toBe(17);
    expect(chooseJdk(jdks, '25').home).toBe('/usr/lib/jvm/temurin-25');
    expect(() => chooseJdk(jdks, '1.8')).toThrow('system.properties asks for java.runtime.version=1.8, but no installed JDK is Java 8; installed: 17.0.15 (/usr/lib/jvm/java-17), 25.0.1 (/usr/lib/jvm/temurin-25)');
    expect(() => chooseJdk([], null)).toThrow('Java app detected, but no JDK was found');
  });

  it('finds the single runnable jar', () => {
    expect(runnableJar(['app-1.0.jar', 'original-app-1.0.jar', 'classes', 'app-1.0-sources.jar'])).toBe('app-1.0.jar');
    expect(runnableJar(['demo-0.0.1.jar', 'demo-0.0.1.jar.original', 'demo-0.0.1-plain.jar'])).toBe('demo-0.0.1.jar');
    expect(runnableJar(['a.jar', 'b.jar'])).toBeNull();
    expect(runnableJar([])).toBeNull();
  });

  it.each([
    ['512M', '', '-Xmx384m'],
    ['1g', '', '-Xmx768m'],
    ['2GB', '-Dfoo=1', '-Xmx1536m -Dfoo=1'],
    ['1073741824', '', '-Xmx768m'],
    ['512M', '-Xmx100m', '-Xmx100m'],
    ['', '', ''],
    ['lots', '', ''],
  ])('MINIK_MEMORY_LIMIT=%s with JAVA_TOOL_OPTIONS=%s gives %s at dyno start', async (limit, given, expected) => {
    const script = `${javaProfileLines('/opt/jdk').join('\n')}\nprintf '%s' "\${JAVA_TOOL_OPTIONS:-}"`;
    const r = await execa('/bin/sh', ['-c', script], { env: { PATH: '/usr/bin:/bin', MINIK_MEMORY_LIMIT: limit, JAVA_TOOL_OPTIONS: given }, extendEnv: false });
    expect(r.stdout).toBe(expected);
  });
});

describe('Ruby', () => {
  it('tells Rails apps by the Gemfile or its lock, and picks the web command', () => {
    expect(isRails("source 'x'\ngem 'rails', '~> 7.1'\n", null)).toBe(true);
    expect(isRails("gem 'sinatra'\n", 'GEM\n  specs:\n    rails (7.1.3)\n')).toBe(true);
    expect(isRails("gem 'rack'\n", null)).toBe(false);
    expect(rubyProcessTypes(true, true).web).toBe('bundle exec rails server -p $PORT -b 127.0.0.1 -e $RAILS_ENV');
    expect(rubyProcessTypes(false, true).web).toBe('bundle exec rackup -p $PORT -o 127.0.0.1');
    expect(rubyProcessTypes(false, false)).toEqual({});
  });
});

describe('PHP', () => {
  it('serves public/ or web/ when present, on 127.0.0.1', async () => {
    const dir = await temp.make();
    expect(await documentRoot(dir)).toBe('.');
    await mkdir(path.join(dir, 'web'));
    expect(await documentRoot(dir)).toBe('web');
    await mkdir(path.join(dir, 'public'));
    expect(await documentRoot(dir)).toBe('public');
    expect(phpWebCommand('public')).toBe('php -S 127.0.0.1:$PORT -t public');
  });

  it('needs Composer only for packages other than php and extensions', () => {
    expect(composerRequires('{"require": {"php": ">=8", "ext-json": "*"}}')).toBe(false);
    expect(composerRequires('{"require": {"slim/slim": "^4"}}')).toBe(true);
    expect(composerRequires('{}')).toBe(false);
    expect(() => composerRequires('{nope')).toThrow(/composer.json is not valid JSON/);
  });
});

describe('requireTool', () => {
  it('names the tool, the language and the Debian package when it is missing', async () => {
    const empty = await temp.make();
    await expect(requireTool('Go', { command: 'go', what: 'Go 1.19+', debian: 'golang-go' }, { PATH: empty })).rejects.toThrow(
      'Go app detected, but no `go` on PATH: install Go 1.19+ (Debian: apt-get install golang-go)',
    );
    await writeFile(path.join(empty, 'go'), '#!/bin/sh\n', { mode: 0o755 });
    expect(await requireTool('Go', { command: 'go', what: 'Go', debian: 'golang-go' }, { PATH: empty })).toBe(path.join(empty, 'go'));
  });
});
