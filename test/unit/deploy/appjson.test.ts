import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appJsonConfig, readAppJson } from '../../../src/deploy/appjson.js';

let dir = '';
afterEach(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

async function withAppJson(content: unknown): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'minik-appjson-'));
  await writeFile(join(dir, 'app.json'), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}

describe('app.json', () => {
  it('is empty when absent', async () => {
    dir = await mkdtemp(join(tmpdir(), 'minik-appjson-'));
    expect(await readAppJson(dir)).toEqual({ env: {}, formation: {}, postdeploy: null, buildpacks: [] });
  });

  it('reads env, formation and postdeploy', async () => {
    const spec = await readAppJson(await withAppJson({
      env: { GREETING: { value: 'hi' }, SECRET: { generator: 'secret' }, PLAIN: 'x', OPT: { required: false } },
      formation: { web: { quantity: 2 }, worker: { quantity: 0 } },
      scripts: { postdeploy: 'node seed.js' },
    }));
    expect(spec.formation).toEqual({ web: 2, worker: 0 });
    expect(spec.postdeploy).toBe('node seed.js');
    const config = appJsonConfig(spec, {}, {});
    expect(config.GREETING).toBe('hi');
    expect(config.PLAIN).toBe('x');
    expect(config.SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect('OPT' in config).toBe(false);
  });

  it('keeps values already set and refuses missing required ones by name', async () => {
    const spec = await readAppJson(await withAppJson({ env: { API_KEY: { required: true }, GREETING: { value: 'hi' } } }));
    expect(() => appJsonConfig(spec, {}, {})).toThrow(/requires config var API_KEY, which is not set/);
    expect(appJsonConfig(spec, { API_KEY: 'k', GREETING: 'mine' }, {})).toEqual({});
    expect(appJsonConfig(spec, {}, { API_KEY: 'from .env' })).toEqual({ GREETING: 'hi' });
  });

  it('names the problem in bad files', async () => {
    await expect(readAppJson(await withAppJson('{nope'))).rejects.toThrow(/app.json is not valid JSON/);
    await expect(readAppJson(await withAppJson({ formation: { web: { quantity: -1 } } }))).rejects.toThrow(/formation.web.quantity/);
    await expect(readAppJson(await withAppJson({ env: { 'BAD KEY': 'x' } }))).rejects.toThrow(/config var key 'BAD KEY'/);
  });

  it('reads buildpacks: [{url}] in order and names a bad entry', async () => {
    const spec = await readAppJson(await withAppJson({ buildpacks: [{ url: 'heroku/nodejs' }, { url: 'https://example.test/bp.git#v1' }] }));
    expect(spec.buildpacks).toEqual(['heroku/nodejs', 'https://example.test/bp.git#v1']);
    await expect(readAppJson(await withAppJson({ buildpacks: 'heroku/nodejs' }))).rejects.toThrow("app.json 'buildpacks' must be a list");
    await expect(readAppJson(await withAppJson({ buildpacks: [{ name: 'x' }] }))).rejects.toThrow('app.json buildpacks[0] must be an object with a "url" string');
    await expect(readAppJson(await withAppJson({ buildpacks: [{ url: 'not a url' }] }))).rejects.toThrow(/app.json buildpacks\[0\]: 'not a url' is not a buildpack URL/);
  });
});
