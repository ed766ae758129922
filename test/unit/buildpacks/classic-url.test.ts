import { describe, expect, it } from 'vitest';
import { cacheName, parseBuildpackUrl } from '../../../src/buildpacks/classic/url.js';

describe('parseBuildpackUrl', () => {
  it.each([
    ['/opt/bp', { kind: 'local', path: '/opt/bp', ref: null }],
    ['/srv/bp.git#v1.2', { kind: 'local', path: '/srv/bp.git', ref: 'v1.2' }],
    ['file:///tmp/bp.tgz', { kind: 'local', path: '/tmp/bp.tgz', ref: null }],
    ['https://github.com/heroku/heroku-buildpack-go', { kind: 'git', url: 'https://github.com/heroku/heroku-buildpack-go', ref: null }],
    ['https://github.com/o/bp.git#0a1b2c3', { kind: 'git', url: 'https://github.com/o/bp.git', ref: '0a1b2c3' }],
    ['https://example.test/dl/bp.tar.gz?token=1', { kind: 'tarball', url: 'https://example.test/dl/bp.tar.gz?token=1', ref: null }],
    ['https://example.test/bp.tgz#v2', { kind: 'tarball', url: 'https://example.test/bp.tgz', ref: 'v2' }],
    ['git@github.com:o/bp.git#main', { kind: 'git', url: 'git@github.com:o/bp.git', ref: 'main' }],
    ['ssh://git@host/o/bp', { kind: 'git', url: 'ssh://git@host/o/bp', ref: null }],
  ])('reads %s', (raw, expected) => {
    expect(parseBuildpackUrl(raw)).toEqual(expected);
  });

  it.each([
    ['relative/path', /'relative\/path' is not a buildpack URL minik can fetch/],
    ['ftp://x/bp', /is not a buildpack URL/],
    ['/opt/bp#', /is not a buildpack URL/],
    ['https://x/a b', /is not a buildpack URL/],
    ['/opt/bp#$(rm)', /'#\$\(rm\)' is not a git ref/],
    ['file://elsewhere/bp', /a file:\/\/ URL must name a path on this machine/],
    [`https://x.test/${'a'.repeat(2100)}`, /is not a buildpack URL/],
  ])('refuses %s', (raw, message) => {
    expect(() => parseBuildpackUrl(raw)).toThrow(message);
  });
});

describe('cacheName', () => {
  it('is readable, and differs by ref and by the extra stamp', () => {
    expect(cacheName('https://github.com/heroku/heroku-buildpack-go.git#v1')).toMatch(/^heroku-buildpack-go-[0-9a-f]{16}$/);
    expect(cacheName('/tmp/bp.tgz')).toMatch(/^bp-[0-9a-f]{16}$/);
    expect(cacheName('/x/bp#v1')).not.toBe(cacheName('/x/bp#v2'));
    expect(cacheName('/x/bp.tgz', '1:2')).not.toBe(cacheName('/x/bp.tgz', '1:3'));
  });
});
