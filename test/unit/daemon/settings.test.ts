import { describe, expect, it } from 'vitest';
import { settingsFromEnv } from '../../../src/daemon/settings.js';

describe('settingsFromEnv', () => {
  it('reads MINIK_RELEASE_TIMEOUT in seconds (default one hour, as on Heroku)', () => {
    expect(settingsFromEnv({ MINIK_HOME: '/tmp/x' }, 'linux').releaseTimeoutMs).toBe(3_600_000);
    expect(settingsFromEnv({ MINIK_HOME: '/tmp/x', MINIK_RELEASE_TIMEOUT: '2.5' }, 'linux').releaseTimeoutMs).toBe(2500);
    expect(() => settingsFromEnv({ MINIK_RELEASE_TIMEOUT: 'soon' }, 'linux')).toThrow('MINIK_RELEASE_TIMEOUT=soon is not a number');
  });

  it('refuses to run anywhere but Linux, saying why', () => {
    expect(() => settingsFromEnv({}, 'darwin')).toThrow('minik runs on Linux only (this is darwin)');
  });
});
