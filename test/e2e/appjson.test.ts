// Issues 2 and 3: .env and app.json reach the dynos; config vars override .env.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixture, minik, type Minik } from './harness.js';

describe('.env and app.json', () => {
  let m: Minik;
  let dir: string;
  beforeAll(async () => {
    m = await minik();
    dir = await copyFixture('node-hello', join(m.home, 'src'));
    await writeFile(join(dir, '.env'), 'QUOTED="a b # not a comment"\nMULTI="line 1\nline 2"\nexport PLAIN=plain\nOVERRIDDEN=from-dotenv\n');
    await writeFile(join(dir, 'app.json'), JSON.stringify({
      env: { SECRET_KEY: { generator: 'secret' }, GREETING: { value: 'hello' }, OVERRIDDEN: { value: 'from-app-json' } },
      formation: { web: { quantity: 2 } },
      scripts: { postdeploy: 'echo seeded > seeded.txt && echo postdeploy ran' },
    }));
  });
  afterAll(async () => { await m.stop(); });

  it('loads .env with quotes and multi-line values, app.json env and formation, and runs postdeploy once', async () => {
    const up = await m.run(['up', dir]);
    expect(up.exitCode, `${up.stdout}\n${up.stderr}`).toBe(0);
    expect(up.stdout).toContain('postdeploy ran');
    expect((await m.get('node-hello', '/env/QUOTED')).body).toBe('a b # not a comment');
    expect((await m.get('node-hello', '/env/MULTI')).body).toBe('line 1\nline 2');
    expect((await m.get('node-hello', '/env/PLAIN')).body).toBe('plain');
    expect((await m.get('node-hello', '/env/GREETING')).body).toBe('hello');
    expect((await m.get('node-hello', '/env/SECRET_KEY')).body).toMatch(/^[0-9a-f]{64}$/);
    // .env already sets OVERRIDDEN, so app.json's default is not applied; .env wins until a config var is set.
    expect((await m.get('node-hello', '/env/OVERRIDDEN')).body).toBe('from-dotenv');
    const ps = JSON.parse(String((await m.run(['ps', '--json', '-a', 'node-hello'])).stdout)) as { name: string }[];
    expect(ps.map((d) => d.name).sort()).toEqual(['web.1', 'web.2']);
  });

  it('lets config vars override .env, and does not run postdeploy again', async () => {
    expect((await m.run(['config:set', 'OVERRIDDEN=from-config', '-a', 'node-hello'])).exitCode).toBe(0);
    expect((await m.get('node-hello', '/env/OVERRIDDEN')).body).toBe('from-config');
    const again = await m.run(['up', dir]);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).not.toContain('postdeploy ran');
  });

  it('refuses a first deploy that lacks a required var, naming it, and deploys once it is set', async () => {
    const other = join(m.home, 'src', 'needs-key');
    await mkdir(other, { recursive: true });
    await writeFile(join(other, 'Procfile'), `web: node -e "require('http').createServer((q,s)=>s.end(process.env.API_KEY)).listen(process.env.PORT)"\n`);
    await writeFile(join(other, 'app.json'), JSON.stringify({ env: { API_KEY: { required: true } } }));
    const up = await m.run(['up', other]);
    expect(up.exitCode).not.toBe(0);
    expect(up.stderr).toMatch(/app.json requires config var API_KEY, which is not set/);
    expect((await m.run(['config:set', 'API_KEY=k123', '--no-restart', '-a', 'needs-key'])).exitCode).toBe(0);
    expect((await m.run(['up', other])).exitCode).toBe(0);
    expect((await m.get('needs-key')).body).toBe('k123');
  });
});
