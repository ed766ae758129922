import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { staticServerPath } from '../../../src/buildpacks/index.js';
import { baseEnv, withNodeDir } from '../../../src/core/env.js';
import { dynoEnv } from '../../../src/deploy/env.js';

const nodeDir = dirname(process.execPath);

describe('base environment', () => {
  it('keeps only the allow-listed variables of the daemon', () => {
    const env = baseEnv({
      PATH: '/opt/tools/bin', HOME: '/home/u', USER: 'u', LOGNAME: 'u', SHELL: '/bin/bash', LANG: 'C.UTF-8', LC_ALL: 'C', TZ: 'UTC', TMPDIR: '/tmp',
      HTTPS_PROXY: 'http://proxy:3128', npm_lifecycle_event: 'start', npm_config_prefix: '/x', INIT_CWD: '/src', MINIK_HOME: '/h',
      MINIK_OWNER: 'a:b:dyno:app:web.1:n', AWS_SECRET_ACCESS_KEY: 's3cr3t', TERM: 'xterm', LC_lower: 'x', NODE_OPTIONS: '--inspect',
    });
    expect(env).toEqual({
      PATH: `${nodeDir}:/opt/tools/bin`, HOME: '/home/u', USER: 'u', LOGNAME: 'u', SHELL: '/bin/bash', LANG: 'C.UTF-8', LC_ALL: 'C', TZ: 'UTC', TMPDIR: '/tmp',
      HTTPS_PROXY: 'http://proxy:3128',
    });
  });

  it('gives a default PATH and puts the current node folder first, once', () => {
    expect(baseEnv({}).PATH).toBe([nodeDir, ...['/usr/local/bin', '/usr/bin', '/bin'].filter((d) => d !== nodeDir)].join(':'));
    expect(withNodeDir(`/a:${nodeDir}:/b::`)).toBe(`${nodeDir}:/a:/b`);
  });
});

describe('dyno environment', () => {
  it('layers base env < .env < config vars < HOME/PORT/DYNO/PS', () => {
    const env = dynoEnv({ HOME: '/h', LANG: 'daemon', TZ: 'daemon', PATH: '/opt/tools/bin', PORT: '1' }, { dotenv: { TZ: 'dotenv', C: 'dotenv', PORT: '2', HOME: '/d' }, config: { C: 'config', PORT: '3' } }, 'web.2', 5000, '/slugs/a/1');
    expect(env).toMatchObject({ HOME: '/slugs/a/1', LANG: 'daemon', TZ: 'dotenv', C: 'config', PORT: '5000', DYNO: 'web.2', PS: 'web.2' });
  });

  it('puts the real node first on PATH and keeps daemon knobs, npm leftovers and secrets out', () => {
    const env = dynoEnv({ PATH: '/opt/tools/bin', MINIK_BACKOFF_BASE_MS: '5', MINIK_HOME: '/h', npm_package_name: 'minik', INIT_CWD: '/x', GITHUB_TOKEN: 't' }, { dotenv: {}, config: {} }, 'worker.1', null, '/s');
    expect(env.PATH).toBe(`${nodeDir}:/opt/tools/bin`);
    for (const k of ['MINIK_BACKOFF_BASE_MS', 'MINIK_HOME', 'npm_package_name', 'INIT_CWD', 'GITHUB_TOKEN', 'PORT']) expect(env[k], k).toBeUndefined();
  });

  it('keeps node on PATH when a config var sets PATH, and names the current static server', () => {
    const env = dynoEnv({ PATH: '/opt/tools/bin' }, { dotenv: {}, config: { PATH: '/app/bin:/bin' } }, 'web.1', 5000, '/s');
    expect(env.PATH).toBe(`${nodeDir}:/app/bin:/bin`);
    expect(env.MINIK_STATIC_SERVER).toBe(staticServerPath());
  });

  it('never lets .env or a config var set the ownership marker', () => {
    const env = dynoEnv({}, { dotenv: { MINIK_OWNER: 'x' }, config: { MINIK_OWNER: 'y' } }, 'web.1', 5000, '/s');
    expect(env.MINIK_OWNER).toBeUndefined();
  });
});

describe('the release runtime in a dyno', () => {
  it("puts the recorded interpreter's folder first on PATH, before the daemon's node", () => {
    const runtime = { language: 'node', version: '99.1.0', executable: '/home/u/.nvm/versions/node/v99.1.0/bin/node' };
    const env = dynoEnv({ PATH: '/usr/bin' }, { dotenv: {}, config: {}, runtime }, 'web.1', 5000);
    expect(env.PATH!.split(':').slice(0, 2)).toEqual(['/home/u/.nvm/versions/node/v99.1.0/bin', nodeDir]);
    expect(dynoEnv({ PATH: '/usr/bin' }, { dotenv: {}, config: {} }, 'web.1', 5000).PATH!.split(':')[0]).toBe(nodeDir);
  });
});
