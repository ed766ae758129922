// Issue 9 item 10: engines.node selects the interpreter of the build and the dynos, from a version manager's
// folder under the daemon's HOME; a version nothing installed matches fails the deploy before any install.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minik, type Minik } from './harness.js';

const SERVER = `require('http').createServer((q, s) => s.end(String(process.env.FAKE_NODE))).listen(process.env.PORT);\n`;

async function nodeApp(dir: string, engines: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'rt', version: '1.0.0', engines: { node: engines }, scripts: { start: 'node server.js' } }));
  await writeFile(join(dir, 'server.js'), SERVER);
  return dir;
}

describe('language versions', () => {
  let m: Minik;
  let home: string;
  let fakeNode: string;
  beforeAll(async () => {
    home = join(await import('node:os').then((os) => os.tmpdir()), `minik-e2e-home-${process.pid}-${Date.now()}`);
    const bin = join(home, '.nvm/versions/node/v99.1.0/bin');
    await mkdir(bin, { recursive: true });
    fakeNode = join(bin, 'node');
    // A stand-in for an nvm install: marks what it runs, then runs the real node.
    await writeFile(fakeNode, `#!/bin/sh\nexport FAKE_NODE=v99.1.0\nexec ${JSON.stringify(process.execPath)} "$@"\n`);
    await chmod(fakeNode, 0o755);
    m = await minik({ HOME: home });
  });
  afterAll(async () => {
    await m.stop();
    await import('node:fs/promises').then((fs) => fs.rm(home, { recursive: true, force: true }));
  });

  it('builds and runs with the nvm install engines.node asks for, and info shows it', async () => {
    const dir = await nodeApp(join(m.home, 'src', 'rt'), '99.x');
    const up = await m.run(['up', dir]);
    expect(up.exitCode, `${up.stdout}\n${up.stderr}`).toBe(0);
    expect(up.stdout).toContain(`Using node 99.1.0 (${fakeNode}) for package.json engines.node '99.x'`);
    expect((await m.get('rt')).body).toBe('v99.1.0');
    const info = await m.run(['info', '-a', 'rt']);
    expect(info.stdout).toMatch(new RegExp(`Runtime:?\\s+node 99\\.1\\.0 \\(${fakeNode.replace(/[.]/g, '\\.')}\\)`));
    expect(JSON.parse(String((await m.run(['info', '-a', 'rt', '--json'])).stdout)).runtime).toBe(`node 99.1.0 (${fakeNode})`);
    // A config change restarts the dynos from the release record: still the same interpreter.
    expect((await m.run(['config:set', 'X=1', '-a', 'rt'])).exitCode).toBe(0);
    expect((await m.get('rt')).body).toBe('v99.1.0');
  });

  it('fails before installing anything, naming what to install, when nothing matches', async () => {
    const dir = await nodeApp(join(m.home, 'src', 'rt-missing'), '>=98 <99');
    const up = await m.run(['up', dir]);
    expect(up.exitCode).not.toBe(0);
    expect(up.stderr).toContain("no installed Node.js matches package.json engines.node '>=98 <99'");
    expect(up.stderr).toMatch(/nvm install 98.*found: .*99\.1\.0/s);
    expect(up.stdout).not.toContain('Installing dependencies');
  });
});
