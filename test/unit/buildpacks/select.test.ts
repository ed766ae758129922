import { describe, expect, it } from 'vitest';
import { chooseBuildpacks, editBuildpacks, parseDotBuildpacks, validateBuildpackEntry } from '../../../src/buildpacks/index.js';

describe('chooseBuildpacks', () => {
  it("takes the app's list, then app.json, then .buildpacks, else detection", () => {
    expect(chooseBuildpacks(['a'], ['b'], ['c'])).toEqual({ urls: ['a'], from: 'app' });
    expect(chooseBuildpacks([], ['b'], ['c'])).toEqual({ urls: ['b'], from: 'app.json' });
    expect(chooseBuildpacks([], [], ['c', 'd'])).toEqual({ urls: ['c', 'd'], from: '.buildpacks' });
    expect(chooseBuildpacks([], [], [])).toBeNull();
  });

  it('reads .buildpacks one URL a line, skipping blanks and comments', () => {
    expect(parseDotBuildpacks('# first\nhttps://x.test/a.git#v1\r\n\n  /opt/bp  \n#skip\n')).toEqual(['https://x.test/a.git#v1', '/opt/bp']);
    expect(() => parseDotBuildpacks('heroku/nodejs\n\n./relative\n')).toThrow(".buildpacks line 3: './relative' is not a buildpack URL minik can fetch");
  });

  it('accepts built-in names and URLs, and names what it refuses', () => {
    expect(validateBuildpackEntry('heroku/nodejs')).toBe('heroku/nodejs');
    expect(validateBuildpackEntry(' go ')).toBe('go');
    expect(validateBuildpackEntry('git@github.com:o/bp.git#main')).toBe('git@github.com:o/bp.git#main');
    expect(() => validateBuildpackEntry('')).toThrow('buildpack URL is empty');
    expect(() => validateBuildpackEntry('heroku/cobol')).toThrow("'heroku/cobol' is not a buildpack URL minik can fetch");
  });
});

describe('editBuildpacks (Heroku rules)', () => {
  it('set replaces the first entry, or the one at --index, or appends one past the end', () => {
    expect(editBuildpacks([], { action: 'set', url: 'go' })).toEqual(['go']);
    expect(editBuildpacks(['go', 'php'], { action: 'set', url: 'ruby' })).toEqual(['ruby', 'php']);
    expect(editBuildpacks(['go', 'php'], { action: 'set', url: 'ruby', index: 2 })).toEqual(['go', 'ruby']);
    expect(editBuildpacks(['go'], { action: 'set', url: 'ruby', index: 2 })).toEqual(['go', 'ruby']);
    expect(() => editBuildpacks(['go'], { action: 'set', url: 'ruby', index: 3 })).toThrow('invalid index 3: choose a value from 1 to 2');
    expect(() => editBuildpacks(['go', 'php'], { action: 'set', url: 'php' })).toThrow('buildpack php is already set on this app at index 2');
  });

  it('add appends, or inserts at --index (clamped to the end); never twice', () => {
    expect(editBuildpacks(['go'], { action: 'add', url: 'php' })).toEqual(['go', 'php']);
    expect(editBuildpacks(['go'], { action: 'add', url: 'php', index: 1 })).toEqual(['php', 'go']);
    expect(editBuildpacks(['go'], { action: 'add', url: 'php', index: 9 })).toEqual(['go', 'php']);
    expect(() => editBuildpacks(['go'], { action: 'add', url: 'go' })).toThrow('buildpack go is already set on this app');
    expect(() => editBuildpacks(['go'], { action: 'add', url: 'php', index: 0 })).toThrow('invalid index 0');
  });

  it('remove takes a URL or an index; clear empties', () => {
    expect(editBuildpacks(['go', 'php'], { action: 'remove', url: 'go' })).toEqual(['php']);
    expect(editBuildpacks(['go', 'php'], { action: 'remove', index: 2 })).toEqual(['go']);
    expect(() => editBuildpacks(['go'], { action: 'remove', url: 'php' })).toThrow('buildpack php is not set on this app: nothing was removed');
    expect(() => editBuildpacks([], { action: 'remove', index: 1 })).toThrow('invalid index 1: the app has no buildpacks');
    expect(() => editBuildpacks(['go'], { action: 'remove' })).toThrow('pass a buildpack URL or --index');
    expect(editBuildpacks(['go', 'php'], { action: 'clear' })).toEqual([]);
  });
});
