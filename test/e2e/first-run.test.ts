// Issue 9 items 2 and 4: what a newcomer sees when a first deploy fails is true for the app's state, and
// names their folder as they typed it, never minik's internal copy.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minik, type Minik } from './harness.js';

describe('a failed first deploy', () => {
  let m: Minik;
  beforeAll(async () => { m = await minik(); await mkdir(join(m.home, 'work', 'myapp'), { recursive: true }); });
  afterAll(async () => { await m.stop(); });
  const cwd = () => join(m.home, 'work');

  it('names the folder as typed when no buildpack matches, or when Procfile is a folder', async () => {
    await writeFile(join(cwd(), 'myapp', 'notes.txt'), 'nothing to run');
    const none = await m.run(['up', './myapp'], { cwd: cwd() });
    expect(none.exitCode).toBe(1);
    expect(String(none.stderr)).toContain('minik: no buildpack detected for ./myapp\n');
    expect(String(none.stderr)).not.toContain('/builds/');
    await mkdir(join(cwd(), 'myapp', 'Procfile'));
    const folder = await m.run(['up', './myapp'], { cwd: cwd() });
    expect(String(folder.stderr)).toContain('minik: Procfile in ./myapp is a folder, not a file\n');
  });

  it('says nothing serves, the router answers H81, and ps says to deploy', async () => {
    const dir = join(cwd(), 'crashy');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'Procfile'), 'web: echo starting; exit 3\n');
    const up = await m.run(['up', dir]);
    expect(up.exitCode).toBe(1);
    expect(String(up.stderr)).toMatch(/minik: v1 was not deployed: dyno web\.1 of app 'crashy' exited with status 3 before it was up\nhint: crashy has no release yet, so nothing serves;/);
    expect(String(up.stderr)).not.toContain('keeps serving');
    const page = await m.get('crashy');
    expect([page.status, page.headers['content-type']?.startsWith('text/html')]).toEqual([503, true]);
    expect(page.body).toContain('H81');
    const ps = await m.run(['ps', '-a', 'crashy']);
    expect(String(ps.stdout).trim()).toBe("No dynos on crashy: it has no release yet. Deploy it with 'minik up'.");
  });
});
