import { describe, expect, it } from 'vitest';
import { allowedHosts, checkChange, checkHost, Sessions } from '../../../src/dashboard/index.js';
import { cookieValue, sessionCookie } from '../../../src/dashboard/security.js';

describe('dashboard security', () => {
  it('serves exact Host values only (no substring or suffix matches)', () => {
    expect(allowedHosts(7079)).toEqual(['127.0.0.1:7079', 'localhost:7079', '[::1]:7079']);
    for (const ok of ['127.0.0.1:7079', 'localhost:7079', 'LOCALHOST:7079', '[::1]:7079']) expect(checkHost(ok, 7079)).toBeNull();
    for (const bad of [undefined, '', '127.0.0.1', 'localhost', '127.0.0.1:7080', 'x.localhost.evil.com:7079', 'localhost:7079.evil.com', 'evil.com', '127.0.0.1:70790']) {
      expect(checkHost(bad, 7079)).toMatchObject({ status: 403 });
    }
  });

  it('lets a change through only with the same Origin, a JSON body and the CSRF token', () => {
    const h = { host: '127.0.0.1:7079', origin: 'http://127.0.0.1:7079', 'content-type': 'application/json', 'x-minik-csrf': 'tok' };
    expect(checkChange(h, 'tok')).toBeNull();
    expect(checkChange({ ...h, 'content-type': 'application/json; charset=utf-8' }, 'tok')).toBeNull();
    expect(checkChange({ ...h, origin: 'http://evil.com' }, 'tok')).toMatchObject({ status: 403 });
    expect(checkChange({ ...h, origin: undefined }, 'tok')).toMatchObject({ status: 403 });
    expect(checkChange({ ...h, origin: 'http://localhost:7079' }, 'tok')).toMatchObject({ status: 403 });
    expect(checkChange({ ...h, 'content-type': 'text/plain' }, 'tok')).toMatchObject({ status: 415 });
    expect(checkChange({ ...h, 'x-minik-csrf': undefined }, 'tok')).toMatchObject({ status: 403, message: 'missing or wrong CSRF token' });
    expect(checkChange({ ...h, 'x-minik-csrf': 'tak' }, 'tok')).toMatchObject({ status: 403 });
  });

  it('exchanges a login token once, before it expires, for a session with its own CSRF token', () => {
    const s = new Sessions();
    const t = s.mintLogin(1000);
    expect(t).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const id = s.exchange(t, 2000)!;
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(s.exchange(t, 2000)).toBeNull();
    expect(s.csrf(id, 3000)).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(s.csrf('forged', 3000)).toBeNull();
    expect(s.csrf(undefined)).toBeNull();
    const late = s.mintLogin(0);
    expect(s.exchange(late, 121_000)).toBeNull();
    expect(s.csrf(id, 2000 + 13 * 3_600_000)).toBeNull();
  });

  it('sets an HttpOnly SameSite=Strict cookie and reads it back', () => {
    expect(sessionCookie('abc')).toBe('minik_session=abc; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200');
    expect(cookieValue('a=1; minik_session=abc; b=2', 'minik_session')).toBe('abc');
    expect(cookieValue(undefined, 'minik_session')).toBeUndefined();
  });
});
