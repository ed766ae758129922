import { execFile } from 'node:child_process';
import { access, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { pythonBuildpack } from '../../../src/buildpacks/python.js';
import { MinikError } from '../../../src/core/errors.js';
import {
  hasRequirementLines, namesLocalFiles, pipfileLockRequirements, relocateActivate, relocateScript,
} from '../../../src/buildpacks/python-venv.js';
import { buildContext, copyFixture, tempDirs } from './helpers.js';

const run = promisify(execFile);
const temp = tempDirs();
afterAll(() => temp.cleanup());
const exists = (p: string) => access(p).then(() => true, () => false);

/** Runs `script` in the slug the way a dyno starts: after sourcing .profile.d/python.sh. */
async function inSlug(slug: string, script: string): Promise<string> {
  const { stdout } = await run('/bin/sh', ['-c', `. ./.profile.d/python.sh && ${script}`], { cwd: slug, env: { PATH: process.env.PATH, HOME: process.env.HOME } });
  return stdout.trim();
}

describe('python buildpack', () => {
  it('builds python-hello into a venv without pip, then restores it from the cache', async () => {
    const root = await temp.make();
    const cacheDir = path.join(root, 'cache');
    const first = buildContext(await copyFixture('python-hello', root, 'build1'), cacheDir);
    const result = await pythonBuildpack.build(first);
    expect(result.defaultProcessTypes).toEqual({});
    expect(result.runtime).toMatchObject({ language: 'python', version: expect.stringMatching(/^3\.\d+\.\d+$/) });
    expect(first.lines[0]).toBe('-----> Python app detected');
    expect(first.lines).toContain('       python3 -m venv --without-pip .venv');
    expect(first.lines).toContain('       requirements.txt lists no packages');

    const second = buildContext(await copyFixture('python-hello', root, 'build2'), cacheDir);
    await pythonBuildpack.build(second);
    expect(second.lines).toContain('       Restoring cache');
    expect(second.lines).toContain('       Dependencies unchanged, skipping install');
    // The restored copy is this slug's own venv, not the first build's.
    const out = await inSlug(second.buildDir, 'python3 -c "import sys, os; print(sys.prefix); print(os.environ[\'PYTHONUNBUFFERED\'])"');
    expect(out.split('\n')).toEqual([path.join(second.buildDir, '.venv'), '1']);
    // Heroku's gunicorn defaults: forwarded headers trusted from the router, access log on stdout (an app's own wins).
    expect(await inSlug(second.buildDir, 'echo "$FORWARDED_ALLOW_IPS|$GUNICORN_CMD_ARGS"')).toBe('*|--access-logfile -');
  }, 30_000);

  it('runs with an installed python3 matching .python-version (comments skipped) when there is no dependency file', async () => {
    const dir = await temp.make();
    await writeFile(path.join(dir, '.python-version'), '# pinned for the team\n3\n');
    await writeFile(path.join(dir, 'main.py'), 'print("hi")\n');
    const ctx = buildContext(dir, await temp.make());
    const result = await pythonBuildpack.build(ctx);
    expect(result.runtime?.version).toMatch(/^3\./);
    expect(await exists(path.join(dir, '.venv'))).toBe(false);
    expect(ctx.lines.some((l) => /^ {7}Using python 3\.\d+\.\d+ \(\//.test(l) && l.endsWith(" for .python-version '3'"))).toBe(true);
    expect(await readFile(path.join(dir, '.profile.d', 'python.sh'), 'utf8')).not.toContain('.venv');
  });

  it('fails naming what to install when no installed python matches', async () => {
    const dir = await temp.make();
    await writeFile(path.join(dir, 'runtime.txt'), 'python-1.0\n');
    await writeFile(path.join(dir, 'main.py'), 'print("hi")\n');
    const ctx = buildContext(dir, await temp.make());
    const err = await pythonBuildpack.build(ctx).catch((e: unknown) => e as MinikError);
    expect(err).toBeInstanceOf(MinikError);
    expect(err.message).toBe("no installed Python matches runtime.txt '1.0'");
    expect(err.hint).toMatch(/pyenv install 1\.0/);
  });
});

describe('venv relocation', () => {
  const venv = '/tmp/build_1/.venv';
  const trampoline = `#!/bin/sh\n'''exec' "$(dirname -- "$(realpath -- "$0")")"/'python3' "$0" "$@"\n' '''\n`;

  it('rewrites absolute shebangs into the venv, in both of pip\'s forms', () => {
    const body = 'import sys\nfrom tool import main\nsys.exit(main())\n';
    expect(relocateScript(`#!${venv}/bin/python3\n${body}`, venv)).toBe(trampoline + body);
    expect(relocateScript(`#!/bin/sh\n'''exec' "${venv}/bin/python3" "$0" "$@"\n' '''\n${body}`, venv)).toBe(trampoline + body);
  });

  it('leaves other scripts alone', () => {
    for (const text of ['#!/usr/bin/env python3\nx\n', '#!/other/.venv/bin/python3\nx\n', 'plain text']) {
      expect(relocateScript(text, venv)).toBe(text);
    }
  });

  it('makes activate find its own folder', () => {
    const out = relocateActivate(`VIRTUAL_ENV="${venv}"\nexport VIRTUAL_ENV\n`, venv);
    expect(out).not.toContain(venv);
    expect(out).toContain('VIRTUAL_ENV="$(cd "$(dirname -- "${BASH_SOURCE:-$0}")/.." && pwd)"');
  });

  it('tells requirement lines from comments', () => {
    expect(hasRequirementLines('# only a comment\n\n   \n')).toBe(false);
    expect(hasRequirementLines('# c\nflask==3.0\n')).toBe(true);
  });

  it('spots requirements that name local files', () => {
    expect(namesLocalFiles('flask==3.0\n# ./not-this\ngunicorn\n')).toBe(false);
    for (const line of ['./pkg', '../x.whl', '/abs/x.whl', '-e .', '--editable=.', '-r base.txt', '-c constraints.txt', 'file:///x']) {
      expect(namesLocalFiles(`flask\n${line}\n`)).toBe(true);
    }
  });

  it('turns Pipfile.lock into pinned requirements', () => {
    const lock = JSON.stringify({ default: { flask: { version: '==3.0.0' }, colorama: { version: '==0.4.6', markers: "os_name == 'nt'" } } });
    expect(pipfileLockRequirements(lock)).toBe("flask==3.0.0\ncolorama==0.4.6 ; os_name == 'nt'");
    expect(() => pipfileLockRequirements('{')).toThrow(/^Pipfile\.lock is not valid JSON/);
  });
});

/** A minimal wheel with a console script, made locally: PyPI is not reachable from tests. */
async function makeWheel(dir: string): Promise<string> {
  const name = 'hello_tool-0.1.0-py3-none-any.whl';
  const script = `
import sys, zipfile
files = {
  "hello_tool/__init__.py": "def main():\\n    print('hello from tool')\\n",
  "hello_tool-0.1.0.dist-info/METADATA": "Metadata-Version: 2.1\\nName: hello-tool\\nVersion: 0.1.0\\n",
  "hello_tool-0.1.0.dist-info/WHEEL": "Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
  "hello_tool-0.1.0.dist-info/entry_points.txt": "[console_scripts]\\nhello-tool = hello_tool:main\\n",
}
record = "".join(f"{n},,\\n" for n in files) + "hello_tool-0.1.0.dist-info/RECORD,,\\n"
with zipfile.ZipFile(sys.argv[1], "w") as z:
    for n, text in files.items():
        z.writestr(n, text)
    z.writestr("hello_tool-0.1.0.dist-info/RECORD", record)
`;
  await run('python3', ['-c', script, path.join(dir, name)]);
  return name;
}

describe('python buildpack with pip', () => {
  it('installs requirements with pip and makes console scripts work from a restored venv', async () => {
    const root = await temp.make();
    const cacheDir = path.join(root, 'cache');
    const makeApp = async (sub: string) => {
      const dir = path.join(root, sub);
      await mkdir(dir);
      await writeFile(path.join(dir, 'requirements.txt'), '# tools\nhello-tool==0.1.0\n');
      return dir;
    };
    const wheels = path.join(root, 'wheels');
    await mkdir(wheels);
    await makeWheel(wheels);
    const env = { PIP_NO_INDEX: '1', PIP_FIND_LINKS: wheels };
    const first = buildContext(await makeApp('build1'), cacheDir, env);
    await pythonBuildpack.build(first);
    expect(first.lines).toContain('       pip install -r requirements.txt');
    expect(await inSlug(first.buildDir, 'hello-tool')).toBe('hello from tool');

    const second = buildContext(await makeApp('build2'), cacheDir, env);
    await pythonBuildpack.build(second);
    expect(second.lines).toContain('       Dependencies unchanged, skipping install');
    expect(await readFile(path.join(second.buildDir, '.venv/bin/hello-tool'), 'utf8')).not.toContain(first.buildDir);
    // Nothing writes to a requirements.txt venv after the restore: its files are links to the cache's, folders its own.
    const script = path.join(second.buildDir, '.venv/bin/hello-tool');
    expect((await stat(script)).ino).toBe((await stat(path.join(cacheDir, 'venv/bin/hello-tool'))).ino);
    expect(await inSlug(second.buildDir, 'hello-tool && command -v hello-tool')).toBe(
      `hello from tool\n${path.join(second.buildDir, '.venv/bin/hello-tool')}`,
    );
  }, 60_000);
});
