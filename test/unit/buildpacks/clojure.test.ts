// The pure parts of the Clojure buildpack: reading project.clj and deps.edn, the task, the web command, the
// repository in the slug, the unreachable-repository sentence, detection and the export recipe.
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readForms, valueIn, valueOf } from '../../../src/buildpacks/clojure-edn.js';
import { cliVersion } from '../../../src/buildpacks/clojure-cli.js';
import {
  cliBuildArgs, leinDefaultWeb, leinTask, leinWebCommand, parseProjectClj, repositoryInSlug, standaloneJar,
} from '../../../src/buildpacks/clojure-project.js';
import { unreachableMessage, unreachableRepositories } from '../../../src/buildpacks/unreachable.js';
import { clojureBuildpack } from '../../../src/buildpacks/clojure.js';
import { builtinBuildpack, detectBuildpack } from '../../../src/buildpacks/index.js';
import { missingTools } from '../../e2e/toolchain.js';
import { buildContext, tempDirs } from './helpers.js';

const temp = tempDirs();
afterAll(() => temp.cleanup());

describe('the Clojure data reader', () => {
  it('skips comments, commas, strings, characters, discarded forms and reader macros', () => {
    const [form] = readForms([
      '; (defproject not-this "0")',
      '{:a "a ) string ] with \\" quote", :b \\( :c #_ (ignored :x) [1 2.5 nil]',
      ' :d #"re(gex" :e #{:x} :f #?(:clj 1 :cljs 2) :g #inst "2024-01-01" :h \'(quoted) :i @x :j ^:meta sym',
      ' :k ^{:tag String} other :l #(inc %) :m ~(unquoted) :n \\newline}',
    ].join('\n'), 'x.edn');
    expect(form?.kind).toBe('map');
    const items = form!.kind === 'map' ? form!.items : [];
    expect(valueOf(items, ':a')).toMatchObject({ kind: 'string', text: 'a ) string ] with " quote' });
    expect(valueOf(items, ':b')).toMatchObject({ kind: 'atom', text: '\\(' });
    expect(valueOf(items, ':c')).toMatchObject({ kind: 'vector', items: [{ text: '1' }, { text: '2.5' }, { text: 'nil' }] });
    expect(valueOf(items, ':d')).toMatchObject({ kind: 'string', text: 're(gex' });
    expect(valueOf(items, ':e')).toMatchObject({ kind: 'set' });
    expect(valueOf(items, ':f')).toMatchObject({ kind: 'list' });
    expect(valueOf(items, ':g')).toMatchObject({ kind: 'string', text: '2024-01-01' });
    expect(valueOf(items, ':j')).toMatchObject({ kind: 'symbol', text: 'sym', line: 3 });
    expect(valueOf(items, ':k')).toMatchObject({ kind: 'symbol', text: 'other' });
    expect(valueOf(items, ':n')).toMatchObject({ kind: 'atom', text: '\\newline', line: 4 });
    expect(valueOf(items, ':zz')).toBeUndefined();
  });

  it('names the line of an unclosed bracket, a mismatched one, a stray one and an unclosed string', () => {
    expect(() => readForms('(defproject x "1"\n  :main a.b\n', 'project.clj')).toThrow("project.clj line 1: '(' opened here is never closed");
    expect(() => readForms('(defproject x "1"\n  :deps [[a "1"]\n  :main a.b)', 'project.clj')).toThrow("project.clj line 3: ')' closes the '[' opened on line 2");
    expect(() => readForms('(a)\n)', 'project.clj')).toThrow("project.clj line 2: unexpected ')'");
    expect(() => readForms('(a\n "b\n c)', 'project.clj')).toThrow('project.clj line 2: a string opened here is never closed');
  });

  it('finds values through nested maps', () => {
    const [form] = readForms('{:aliases {:build {:ns-default build}}}', 'deps.edn');
    expect(valueIn(form, [':aliases', ':build', ':ns-default'])).toMatchObject({ kind: 'symbol', text: 'build' });
    expect(valueIn(form, [':aliases', ':test'])).toBeUndefined();
  });
});

describe('project.clj', () => {
  const project = (body: string) => parseProjectClj(`(defproject my-app "0.1.0-SNAPSHOT"\n${body})`);

  it('reads :main as a symbol, with or without ^:skip-aot metadata', () => {
    expect(project(':main my-app.core').main).toBe('my-app.core');
    expect(project(':main ^:skip-aot sample.app :min-lein-version "2.0.0"').main).toBe('sample.app');
    expect(project(':main ^{:skip-aot true} sample.app').main).toBe('sample.app');
  });

  it('has no :main when there is none, or only in a comment, a string or a profile', () => {
    expect(project(':dependencies [[org.clojure/clojure "1.11.1"]]').main).toBeNull();
    expect(project('; :main commented.out\n:description ":main in a string"').main).toBeNull();
    expect(project(':profiles {:dev {:main dev.main}}').main).toBeNull();
  });

  it('reads :uberjar-name at the top or in the :uberjar profile, as Heroku looks for it', () => {
    expect(project(':uberjar-name "app.jar"').uberjarName).toBe('app.jar');
    expect(project(':profiles {:uberjar {:aot :all :uberjar-name "prof.jar"}}').uberjarName).toBe('prof.jar');
    expect(project('').uberjarName).toBeNull();
  });

  it('reads the getting-started shape: :main and :aot on their own lines', () => {
    expect(parseProjectClj('(defproject clojure-getting-started "0.1.0"\n  :dependencies [[org.clojure/clojure "1.12.4"]]\n  :main com.heroku.clojure-getting-started\n  :aot [com.heroku.clojure-getting-started]\n  :uberjar-name "clojure-getting-started.jar")')).toEqual({
      main: 'com.heroku.clojure-getting-started', uberjarName: 'clojure-getting-started.jar',
    });
  });

  it('refuses a file without defproject, or a setting without a value, naming the line', () => {
    expect(() => parseProjectClj('(ns not.a.project)')).toThrow('project.clj has no (defproject …) form');
    expect(() => parseProjectClj('(defproject a "1"\n  :main a.core\n  :aot)')).toThrow('project.clj line 3: :aot has no value');
  });
});

describe('the Leiningen build and its web process', () => {
  it('runs uberjar unless LEIN_BUILD_TASK names a task, split on spaces as Heroku does', () => {
    expect(leinTask(undefined)).toEqual(['uberjar']);
    expect(leinTask('  ')).toEqual(['uberjar']);
    expect(leinTask(' with-profile production  compile :all\n')).toEqual(['with-profile', 'production', 'compile', ':all']);
  });

  it('picks the standalone jar, the one :uberjar-name names first', () => {
    expect(standaloneJar(['target/app-1.0.jar', 'target/app-1.0-standalone.jar'], null)).toBe('target/app-1.0-standalone.jar');
    expect(standaloneJar(['target/uberjar/app-1.0-standalone.jar'], null)).toBe('target/uberjar/app-1.0-standalone.jar');
    expect(standaloneJar(['target/app.jar', 'target/app-1.0-standalone.jar'], 'app.jar')).toBe('target/app.jar');
    expect(standaloneJar(['target/a-standalone.jar', 'target/b-standalone.jar'], null)).toBeNull();
    expect(standaloneJar(['target/app-1.0.jar'], null)).toBeNull();
  });

  it('runs :main from the uberjar with clojure.main, else with lein in the dyno, else asks for a Procfile', () => {
    expect(leinWebCommand('target/a b-standalone.jar', 'my.app')).toBe("java $JVM_OPTS -cp 'target/a b-standalone.jar' clojure.main -m my.app");
    expect(leinDefaultWeb('target/x-standalone.jar', 'minik.hello')).toEqual({ web: 'java $JVM_OPTS -cp target/x-standalone.jar clojure.main -m minik.hello', note: null });
    expect(leinDefaultWeb(null, 'minik.hello')).toEqual({ web: 'lein with-profile production trampoline run', note: 'No standalone jar in target/: web runs `lein with-profile production trampoline run`, as on Heroku' });
    expect(leinDefaultWeb('target/x-standalone.jar', null).web).toBeNull();
    expect(leinDefaultWeb('target/x-standalone.jar', null).note).toMatch(/^project.clj names no :main namespace: name the web process in a Procfile/);
    expect(leinDefaultWeb(null, null)).toEqual({ web: null, note: 'No standalone jar in target/ and no :main in project.clj: name the web process in a Procfile' });
  });

  it('puts the repository in the slug when a process runs lein, or LEIN_INCLUDE_IN_SLUG says so', () => {
    expect(repositoryInSlug(undefined, { web: 'lein run' })).toBe(true);
    expect(repositoryInSlug(undefined, { web: 'java -jar x.jar', worker: 'cd app && /usr/bin/lein trampoline run -m w' })).toBe(true);
    expect(repositoryInSlug(undefined, { web: 'java -cp target/leiningen-standalone.jar clojure.main -m x' })).toBe(false);
    expect(repositoryInSlug('no', { web: 'lein run' })).toBe(false);
    expect(repositoryInSlug('yes', { web: 'java -jar x.jar' })).toBe(true);
  });
});

describe('an unreachable repository', () => {
  const output = [
    'Retrieving org/clojure/clojure/1.12.4/clojure-1.12.4.jar from central',
    'Could not find artifact ring:ring-core:jar:1.15.3 in central (https://repo1.maven.org/maven2/)',
    'Could not transfer artifact ring:ring-core:jar:1.15.3 from/to clojars (https://repo.clojars.org/): transfer failed for https://repo.clojars.org/ring/ring-core/1.15.3/ring-core-1.15.3.jar',
    'Could not transfer artifact compojure:compojure:jar:1.7.2 from/to clojars (https://repo.clojars.org/): transfer failed for https://repo.clojars.org/compojure/compojure/1.7.2/compojure-1.7.2.jar',
    'Could not transfer artifact compojure:compojure:jar:1.7.2 from/to clojars (https://repo.clojars.org/): transfer failed for https://repo.clojars.org/compojure/compojure/1.7.2/compojure-1.7.2.jar',
    'Uberjar aborting because jar failed: Could not resolve dependencies',
  ];

  it('is named with the artifacts it was asked for, once each', () => {
    expect(unreachableRepositories(output)).toEqual([{ repository: 'clojars', url: 'https://repo.clojars.org/', artifacts: ['ring:ring-core:jar:1.15.3', 'compojure:compojure:jar:1.7.2'] }]);
    expect(unreachableRepositories(['Could not find artifact x:y:jar:1 in central (https://repo1.maven.org/maven2/)'])).toEqual([]);
  });

  it('makes one sentence naming the repository, or both', () => {
    expect(unreachableMessage('Leiningen', unreachableRepositories(output))).toBe('Leiningen could not download ring:ring-core:jar:1.15.3 and 1 more: the repository clojars (https://repo.clojars.org/) cannot be reached from this machine');
    const both = unreachableRepositories([
      'Could not transfer artifact a:b:jar:1 from/to central (https://repo1.maven.org/maven2/): connect timed out',
      'Could not transfer artifact a:b:jar:1 from/to clojars (https://repo.clojars.org/): transfer failed',
    ]);
    expect(unreachableMessage('Leiningen', both)).toBe('Leiningen could not download a:b:jar:1: the repositories central (https://repo1.maven.org/maven2/) and clojars (https://repo.clojars.org/) cannot be reached from this machine');
  });
});

describe('deps.edn (Clojure CLI)', () => {
  it('tells the Clojure CLI from clojure.main by `clojure -Sdescribe`', () => {
    expect(cliVersion('{:version "1.12.0.1479"\n :config-files ["/usr/local/lib/clojure/deps.edn"]}')).toBe('1.12.0.1479');
    expect(cliVersion('')).toBeNull();
  });

  it('builds an uberjar with a :build alias (tools.build), else only downloads the dependencies', () => {
    expect(cliBuildArgs('{:deps {} :aliases {:build {:deps {io.github.clojure/tools.build {:mvn/version "0.10.5"}} :ns-default build}}}')).toEqual(['-T:build', 'uber']);
    expect(cliBuildArgs(';; deps\n{:deps {org.clojure/clojure {:mvn/version "1.12.0"}}}')).toEqual(['-P']);
    expect(() => cliBuildArgs('[:not :a :map]')).toThrow('deps.edn does not hold a map');
  });
});

describe('detection', () => {
  const dirWith = async (files: string[]) => {
    const dir = await temp.make();
    await mkdir(dir, { recursive: true });
    for (const f of files) await writeFile(path.join(dir, f), f === 'project.clj' ? '(defproject a "1")' : '');
    return dir;
  };

  it('detects project.clj or deps.edn as Clojure, before a generated pom.xml makes it Java', async () => {
    expect((await detectBuildpack(await dirWith(['project.clj']))).name).toBe('clojure');
    expect((await detectBuildpack(await dirWith(['deps.edn']))).name).toBe('clojure');
    expect((await detectBuildpack(await dirWith(['project.clj', 'pom.xml']))).name).toBe('clojure');
    expect((await detectBuildpack(await dirWith(['pom.xml']))).name).toBe('java');
  });

  it("knows Heroku's name for it", () => {
    expect(builtinBuildpack('heroku/clojure')?.name).toBe('clojure');
  });
});

describe.skipIf(missingTools(['java']) !== null)('a Leiningen build', () => {
  it('refuses a cache path with spaces before Leiningen runs (its script splits LEIN_JVM_OPTS on spaces)', async () => {
    const root = await temp.make();
    const buildDir = path.join(root, 'app');
    await mkdir(path.join(buildDir, 'bin'), { recursive: true });
    await writeFile(path.join(buildDir, 'project.clj'), '(defproject x "0.1.0" :main x.core)\n');
    await writeFile(path.join(buildDir, 'bin', 'lein'), '#!/bin/sh\ntouch ran\n', { mode: 0o755 });
    const cacheDir = path.join(root, 'my cache');
    await expect(clojureBuildpack.build(buildContext(buildDir, cacheDir))).rejects.toThrow(`Leiningen cannot use the build cache at '${path.join(cacheDir, 'home')}'`);
    await expect(stat(path.join(buildDir, 'ran'))).rejects.toThrow();
  });
});
