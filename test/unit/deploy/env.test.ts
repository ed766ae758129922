import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dynoEnv } from '../../../src/deploy/env.js';

describe('dyno environment', () => {
  it('layers daemon env < .env < config vars < PORT/DYNO/PS', () => {
    const env = dynoEnv({ A: 'daemon', B: 'daemon', PATH: '/usr/bin', PORT: '1' }, { dotenv: { B: 'dotenv', C: 'dotenv', PORT: '2' }, config: { C: 'config', PORT: '3' } }, 'web.2', 5000);
    expect(env).toMatchObject({ A: 'daemon', B: 'dotenv', C: 'config', PORT: '5000', DYNO: 'web.2', PS: 'web.2' });
  });

  it('puts the real node first on PATH and keeps daemon-only knobs out', () => {
    const env = dynoEnv({ PATH: '/usr/bin', MINIK_BACKOFF_BASE_MS: '5', MINIK_HOME: '/h' }, { dotenv: {}, config: {} }, 'worker.1', null);
    expect(env.PATH).toBe(`${dirname(process.execPath)}:/usr/bin`);
    expect(env.MINIK_BACKOFF_BASE_MS).toBeUndefined();
    expect(env.PORT).toBeUndefined();
  });
});
