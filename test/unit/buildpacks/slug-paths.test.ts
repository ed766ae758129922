// Slugs are self-contained: nothing in a built slug names the node binary or minik's own folder, so a
// slug built now still runs after Node is upgraded or minik is moved, and so do rollbacks to it.
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { currentCommand, staticBuildpack, staticWebCommand } from '../../../src/buildpacks/static.js';
import { nodeBuildpack } from '../../../src/buildpacks/node.js';
import { dynoEnv } from '../../../src/deploy/env.js';
import { harness, type Harness } from '../supervisor/helpers.js';
import { buildContext, copyFixture, tempDirs } from './helpers.js';

const temp = tempDirs();
afterAll(() => temp.cleanup());
let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

const MINIK_ROOT = path.resolve(import.meta.dirname, '../../..');
const NODE_DIR = path.dirname(process.execPath);

/** Every file of a folder with its text (node_modules left out: installed packages are the app's). */
async function slugTexts(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile() || e.parentPath.includes('node_modules')) continue;
    out.push(await readFile(path.join(e.parentPath, e.name), 'utf8'));
  }
  return out;
}

const get = (port: number) => new Promise<string>((resolve, reject) => {
  request({ host: '127.0.0.1', port, path: '/' }, (res) => {
    let body = '';
    res.on('data', (c: Buffer) => (body += c));
    res.on('end', () => resolve(body));
  }).on('error', reject).end();
});

describe('a static slug', () => {
  it('names no node or minik path, and runs with whatever node and static server the dyno env names', async () => {
    const root = await temp.make();
    const slug = await copyFixture('static-site', root);
    const result = await staticBuildpack.build(buildContext(slug, await temp.make()));
    const web = result.defaultProcessTypes.web!;
    for (const text of [web, ...(await slugTexts(slug))]) {
      expect(text).not.toContain(process.execPath);
      expect(text).not.toContain(MINIK_ROOT);
    }
    // Another node installation and another minik: a wrapper that says it ran, and a server elsewhere.
    const otherNode = path.join(root, 'other-node', 'bin');
    await mkdir(otherNode, { recursive: true });
    await writeFile(path.join(otherNode, 'node'), `#!/bin/sh\necho "other node" >&2\nexec '${process.execPath}' "$@"\n`);
    await chmod(path.join(otherNode, 'node'), 0o755);
    const otherServer = path.join(root, 'other-minik', 'static-server.js');
    await mkdir(path.dirname(otherServer));
    await writeFile(otherServer, `require('http').createServer((q, s) => s.end('served ' + require('fs').readFileSync('index.html', 'utf8').length)).listen(process.env.PORT, '127.0.0.1');\n`);

    h = harness();
    const port = h.sup.ports.take();
    const env = dynoEnv({ PATH: process.env.PATH }, { dotenv: {}, config: {} }, 'web.1', port, slug);
    env.PATH = `${otherNode}:${env.PATH}`;
    env.MINIK_STATIC_SERVER = otherServer;
    const dyno = h.sup.start(h.spec({ command: web, cwd: slug, env, port }));
    await dyno.waitUp();
    const html = await readFile(path.join(slug, 'index.html'), 'utf8');
    expect(await get(port)).toBe(`served ${html.length}`);
    expect(h.messages('web.1', 'app')).toContain('other node');
  });

  it('of an older minik, with baked absolute paths, runs with the current ones', () => {
    expect(currentCommand(`'/old nodes/v18/bin/node' /opt/minik-0.1/dist/buildpacks/static-server.js`)).toBe(staticWebCommand());
    expect(currentCommand(`/usr/local/bin/node '/home/u/minik/dist/buildpacks/static-server.js'`)).toBe(staticWebCommand());
    expect(currentCommand('node server.js')).toBe('node server.js');
    expect(currentCommand('/usr/bin/node /srv/app/dist/buildpacks/static-server.js --port 1')).toBe('/usr/bin/node /srv/app/dist/buildpacks/static-server.js --port 1');
  });
});

describe('a node slug', () => {
  it('has a .profile.d script that names no node folder', async () => {
    const slug = await copyFixture('node-hello', await temp.make());
    await nodeBuildpack.build(buildContext(slug, await temp.make()));
    const profile = await readFile(path.join(slug, '.profile.d', 'node.sh'), 'utf8');
    expect(profile).not.toContain(NODE_DIR);
    expect(profile).toContain('node_modules/.bin');
  });
});
