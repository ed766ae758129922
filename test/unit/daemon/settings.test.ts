import { describe, expect, it } from 'vitest';
import { settingsFromEnv } from '../../../src/daemon/settings.js';

describe('settingsFromEnv', () => {
  it('reads MINIK_RELEASE_TIMEOUT in seconds (default one hour, as on Heroku)', () => {
    expect(settingsFromEnv({ MINIK_HOME: '/tmp/x' }, 'linux').releaseTimeoutMs).toBe(3_600_000);
    expect(settingsFromEnv({ MINIK_HOME: '/tmp/x', MINIK_RELEASE_TIMEOUT: '2.5' }, 'linux').releaseTimeoutMs).toBe(2500);
    expect(() => settingsFromEnv({ MINIK_RELEASE_TIMEOUT: 'soon' }, 'linux')).toThrow('MINIK_RELEASE_TIMEOUT=soon is not a number');
  });

  it('reads MINIK_HTTPS_PORT (default 7443, `off` turns HTTPS off)', () => {
    expect(settingsFromEnv({ MINIK_HOME: '/tmp/x' }, 'linux').httpsPort).toBe(7443);
    expect(settingsFromEnv({ MINIK_HOME: '/tmp/x', MINIK_HTTPS_PORT: '8443' }, 'linux').httpsPort).toBe(8443);
    expect(settingsFromEnv({ MINIK_HOME: '/tmp/x', MINIK_HTTPS_PORT: 'off' }, 'linux').httpsPort).toBeNull();
    expect(() => settingsFromEnv({ MINIK_HTTPS_PORT: '70000' }, 'linux')).toThrow('MINIK_HTTPS_PORT=70000 is not a number from 1 to 65535');
  });

  it('refuses to run anywhere but Linux, saying why', () => {
    expect(() => settingsFromEnv({}, 'darwin')).toThrow('minik runs on Linux only (this is darwin)');
  });
});
