import { describe, expect, it } from 'vitest';
import { clearCookie, cookiePolicy, readCookie, safeReturnUrl, serializeCookie } from './session-cookie';

describe('session cookie', () => {
  it('when the public URL is https, then the cookie is __Host- and Secure', () => {
    const policy = cookiePolicy('https://bank.example');
    expect(policy).toEqual({ session: '__Host-krt-session', login: '__Host-krt-login', secure: true });
    expect(serializeCookie(policy.session, 'abc', { sameSite: 'Strict', secure: policy.secure, maxAgeSeconds: 60 })).toBe(
      '__Host-krt-session=abc; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age=60',
    );
  });

  it('when the public URL is plain http (local development), then the cookie has no __Host- prefix and no Secure', () => {
    const policy = cookiePolicy('http://localhost:5000');
    expect(policy.session).toBe('krt-session');
    expect(serializeCookie(policy.session, 'abc', { sameSite: 'Strict', secure: false })).toBe('krt-session=abc; Path=/; HttpOnly; SameSite=Strict');
    expect(cookiePolicy('http://localhost:5000', true).session).toBe('__Host-krt-session');
  });

  it('clears with Max-Age=0 and reads a cookie among others', () => {
    expect(clearCookie('krt-session', false)).toContain('Max-Age=0');
    expect(readCookie('a=1; krt-session=xyz; b=2', 'krt-session')).toBe('xyz');
    expect(readCookie('a=1', 'krt-session')).toBeUndefined();
    expect(readCookie(undefined, 'krt-session')).toBeUndefined();
  });

  it.each([
    ['/inicio', '/inicio'],
    ['/pix/enviar?valor=10#top', '/pix/enviar?valor=10#top'],
    ['//evil.example/x', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example/', '/'],
    ['javascript:alert(1)', '/'],
    ['inicio', '/'],
    ['/a\nb', '/'],
    [undefined, '/'],
  ])('when the return URL is %s, then the sign-in returns to %s', (input, expected) => {
    expect(safeReturnUrl(input as string | undefined)).toBe(expected);
  });
});
