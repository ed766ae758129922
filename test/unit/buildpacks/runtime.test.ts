import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { installedCandidates, pathCandidates, versionFromFolder } from '../../../src/buildpacks/runtime/discover.js';
import { nodeRequest, parsePythonVersionFile, parseRuntimeTxt } from '../../../src/buildpacks/runtime/request.js';
import { chooseRuntime, compareVersions, noMatchError, type Candidate } from '../../../src/buildpacks/runtime/select.js';
import { tempDirs } from './helpers.js';

const temp = tempDirs();
afterAll(() => temp.cleanup());

const node = (version: string, source = 'nvm'): Candidate => ({ version, executable: `/n/${version}/bin/node`, source });
const py = (version: string, source = 'pyenv'): Candidate => ({ version, executable: `/p/${version}/bin/python3`, source });

describe('version requests', () => {
  it('reads .python-version as pyenv does: the first line that is not a comment', () => {
    expect(parsePythonVersionFile('# team default\n\n3.12\n')).toEqual({ language: 'python', wanted: '3.12', source: '.python-version' });
    expect(parsePythonVersionFile('3.11.4\n3.10\n')?.wanted).toBe('3.11.4');
    expect(parsePythonVersionFile('# only a comment\n')).toBeNull();
    expect(parsePythonVersionFile('system\n')).toBeNull();
    expect(() => parsePythonVersionFile('# x\nlatest\n')).toThrow(".python-version line 2: 'latest' is not a Python version");
  });

  it("reads runtime.txt's python-X.Y.Z", () => {
    expect(parseRuntimeTxt('python-3.12.4\n')).toEqual({ language: 'python', wanted: '3.12.4', source: 'runtime.txt' });
    expect(() => parseRuntimeTxt('3.12')).toThrow("runtime.txt: '3.12' is not a Python version");
  });

  it('takes engines.node first, then .nvmrc, then .node-version', () => {
    expect(nodeRequest('>=18 <21', '16', '14')).toEqual({ language: 'node', wanted: '>=18 <21', source: 'package.json engines.node' });
    expect(nodeRequest(undefined, '# pinned\nv20.11.1\n', '14')).toEqual({ language: 'node', wanted: '20.11.1', source: '.nvmrc' });
    expect(nodeRequest(undefined, null, '18')?.source).toBe('.node-version');
    expect(nodeRequest(undefined, 'lts/iron', null)?.wanted).toBe('20');
    expect(nodeRequest(undefined, 'node', null)?.wanted).toBe('*');
    expect(nodeRequest(undefined, null, null)).toBeNull();
    expect(() => nodeRequest('banana', null, null)).toThrow('package.json engines.node "banana" is not a semver range');
    expect(() => nodeRequest(undefined, 'lts/nope', null)).toThrow(".nvmrc: unknown LTS name 'lts/nope'");
  });
});

describe('choosing an interpreter', () => {
  const nodes = [node('20.19.5', 'PATH'), node('18.20.1'), node('22.3.0'), node('99.1.0')];

  it('picks the newest node that satisfies the range', () => {
    expect(chooseRuntime({ language: 'node', wanted: '>=18 <22', source: 'x' }, nodes)?.version).toBe('20.19.5');
    expect(chooseRuntime({ language: 'node', wanted: '18.x', source: 'x' }, nodes)?.version).toBe('18.20.1');
    expect(chooseRuntime({ language: 'node', wanted: '99', source: 'x' }, nodes)?.source).toBe('nvm');
    expect(chooseRuntime({ language: 'node', wanted: '16', source: 'x' }, nodes)).toBeNull();
  });

  it('prefers the first listed (PATH) among equal versions', () => {
    const same = [node('20.19.5', 'PATH'), { ...node('20.19.5'), executable: '/other/node' }];
    expect(chooseRuntime({ language: 'node', wanted: '20', source: 'x' }, same)?.source).toBe('PATH');
  });

  it('matches python by version prefix, newest patch first', () => {
    const pys = [py('3.11.2', 'PATH'), py('3.12.1'), py('3.12.10'), py('3.9.18')];
    expect(chooseRuntime({ language: 'python', wanted: '3.12', source: 'x' }, pys)?.version).toBe('3.12.10');
    expect(chooseRuntime({ language: 'python', wanted: '3.1', source: 'x' }, pys)).toBeNull();
    expect(chooseRuntime({ language: 'python', wanted: '3', source: 'x' }, pys)?.version).toBe('3.12.10');
    expect(compareVersions('3.10.2', '3.9.18')).toBeGreaterThan(0);
  });

  it('says what to install and what was found when nothing matches', () => {
    const err = noMatchError({ language: 'node', wanted: '>=99', source: 'package.json engines.node' }, [node('20.19.5', 'PATH')]);
    expect(err.message).toBe("no installed Node.js matches package.json engines.node '>=99'");
    expect(err.hint).toBe('install one (e.g. nvm install 99, fnm install 99 or volta install node@99) or change package.json engines.node; found: 20.19.5 (/n/20.19.5/bin/node)');
    expect(noMatchError({ language: 'python', wanted: '3.13', source: '.python-version' }, []).hint).toMatch(/^install one \(e\.g\. pyenv install 3\.13, uv python install 3\.13/);
  });
});

describe('finding installed interpreters', () => {
  it("reads versions from the version managers' folder names", () => {
    expect(versionFromFolder('v20.1.0')).toBe('20.1.0');
    expect(versionFromFolder('3.12.1')).toBe('3.12.1');
    expect(versionFromFolder('cpython-3.12.1-linux-x86_64-gnu')).toBe('3.12.1');
    expect(versionFromFolder('pypy3.10-7.3.15-linux-x86_64-gnu')).toBeNull();
    expect(versionFromFolder('latest')).toBeNull();
  });

  it('lists nvm, fnm, volta and uv installs under a home folder that have the executable', async () => {
    const home = await temp.make();
    const exe = async (rel: string) => {
      await mkdir(path.dirname(path.join(home, rel)), { recursive: true });
      await writeFile(path.join(home, rel), '#!/bin/sh\n');
      await chmod(path.join(home, rel), 0o755);
    };
    await exe('.nvm/versions/node/v99.1.0/bin/node');
    await exe('.local/share/fnm/node-versions/v98.0.0/installation/bin/node');
    await exe('.volta/tools/image/node/97.0.0/bin/node');
    await mkdir(path.join(home, '.nvm/versions/node/v96.0.0/bin'), { recursive: true }); // no node inside
    await exe('.local/share/uv/python/cpython-3.99.1-linux-x86_64-gnu/bin/python3');
    expect((await installedCandidates('node', home)).map((c) => `${c.source} ${c.version}`)).toEqual(['nvm 99.1.0', 'fnm 98.0.0', 'volta 97.0.0']);
    expect(await installedCandidates('python', home)).toEqual([{ version: '3.99.1', source: 'uv', executable: path.join(home, '.local/share/uv/python/cpython-3.99.1-linux-x86_64-gnu/bin/python3') }]);
  });

  it('asks each node on PATH for its version, once per real file', async () => {
    const a = await temp.make();
    const b = await temp.make();
    for (const dir of [a, b]) await writeFile(path.join(dir, 'node'), '#!/bin/sh\n');
    const asked: string[] = [];
    const probe = async (file: string) => { asked.push(file); return file.startsWith(a) ? 'v21.0.0\n' : 'garbage'; };
    const found = await pathCandidates('node', `${a}:${a}:${b}:/nonexistent`, probe);
    expect(found).toEqual([{ version: '21.0.0', executable: path.join(a, 'node'), source: 'PATH' }]);
    expect(asked).toEqual([path.join(a, 'node'), path.join(b, 'node')]);
  });
});
