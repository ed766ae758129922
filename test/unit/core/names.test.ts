import { describe, expect, it } from 'vitest';
import { appNameFromDir, isProcessType, parseDynoName, validateAppName, validateConfigKey } from '../../../src/core/names.js';

describe('names', () => {
  it('derives app names from folder names', () => {
    expect(appNameFromDir('node-hello')).toBe('node-hello');
    expect(appNameFromDir('My Cool_App!')).toBe('my-cool-app');
    expect(appNameFromDir('--x--')).toBe('x');
    expect(appNameFromDir('a'.repeat(80))).toHaveLength(63);
  });

  it('refuses invalid app names with the value in the message', () => {
    expect(() => validateAppName('Bad_Name')).toThrow(/app name 'Bad_Name' is invalid/);
    expect(() => validateAppName('-x')).toThrow();
    expect(() => validateAppName('../etc')).toThrow();
    expect(() => validateAppName('')).toThrow();
    expect(validateAppName('ok-1')).toBe('ok-1');
  });

  it('checks process types, config keys and dyno names', () => {
    expect(isProcessType('web')).toBe(true);
    expect(isProcessType('we b')).toBe(false);
    expect(isProcessType('x'.repeat(64))).toBe(false);
    expect(() => validateConfigKey('1ABC')).toThrow(/config var key '1ABC'/);
    expect(validateConfigKey('_OK_1')).toBe('_OK_1');
    expect(parseDynoName('web.2')).toEqual({ type: 'web', index: 2 });
    expect(parseDynoName('web')).toBeNull();
    expect(parseDynoName('web.0')).toBeNull();
  });
});
