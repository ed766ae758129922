import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appJsonConfig, lineColumn, parseJsonc, readAppJson } from '../../../src/deploy/appjson.js';
import { judge, parseHealthchecks } from '../../../src/deploy/healthchecks.js';

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
    expect(await readAppJson(dir)).toEqual({ env: {}, formation: {}, postdeploy: null, buildpacks: [], healthchecks: [] });
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

describe('app.json as JSONC', () => {
  it('accepts comments and trailing commas, as Dokku does', async () => {
    const spec = await readAppJson(await withAppJson('{\n  // the team\'s defaults\n  "env": {"GREETING": {"value": "hi",},},\n  /* two web dynos */\n  "formation": {"web": {"quantity": 2}},\n}\n'));
    expect(spec.env.GREETING).toEqual({ value: 'hi', required: true, generator: undefined });
    expect(spec.formation).toEqual({ web: 2 });
  });

  it('names the line and column of a syntax error', async () => {
    const text = '{\n  "env": {\n    "A": "1"\n    "B": "2"\n  }\n}\n';
    await expect(readAppJson(await withAppJson(text))).rejects.toThrow("app.json is not valid JSON: line 4, column 5: comma expected at '\"B\"'");
    expect(() => parseJsonc('', 'app.json')).toThrow(/line 1, column 1: value expected/);
  });

  it('turns offsets into 1-based lines and columns', () => {
    expect(lineColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});

describe('app.json healthchecks', () => {
  it("reads Dokku's web startup checks with defaults, in milliseconds", async () => {
    const spec = await readAppJson(await withAppJson({ healthchecks: { web: [
      { type: 'startup', name: 'ready', path: '/health', attempts: 2, timeout: 3, wait: 1, content: 'ok' },
      { path: '/' },
      { type: 'liveness', path: '/live' },
      { type: 'startup', uptime: 5 },
    ], worker: [{ command: ['true'] }] } }));
    expect(spec.healthchecks).toEqual([
      { name: 'ready', path: '/health', attempts: 2, timeoutMs: 3000, waitMs: 1000, initialDelayMs: 0, content: 'ok' },
      { name: 'web check 2', path: '/', attempts: 3, timeoutMs: 5000, waitMs: 5000, initialDelayMs: 0 },
    ]);
    expect(spec.skippedChecks).toEqual(['web check 3 (type liveness)', 'web check 4 (no path)', 'worker check 1 (process type worker)']);
  });

  it('rejects bad checks with the field and the value', () => {
    expect(() => parseHealthchecks({ web: { path: '/' } })).toThrow('app.json healthchecks.web must be a list of checks');
    expect(() => parseHealthchecks({ web: [{ path: 'health' }] })).toThrow(`app.json healthchecks.web[0].path must start with '/', not "health"`);
    expect(() => parseHealthchecks({ web: [{ path: '/', attempts: 0 }] })).toThrow('app.json healthchecks.web[0].attempts must be a whole number from 1 to 100, not 0');
  });

  it('passes on 2xx and 3xx with the expected content, fails otherwise', () => {
    expect(judge(200, 'ok', undefined).ok).toBe(true);
    expect(judge(302, '', undefined).ok).toBe(true);
    expect(judge(500, 'ok', undefined)).toEqual({ ok: false, what: 'status 500' });
    expect(judge(200, 'nope', 'ok')).toEqual({ ok: false, what: "status 200 without 'ok' in the body" });
  });
});
