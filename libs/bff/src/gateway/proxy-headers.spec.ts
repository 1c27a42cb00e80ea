import { describe, expect, it } from 'vitest';
import { browserResponseHeaders, upstreamRequestHeaders } from './proxy-headers';

describe('proxy headers', () => {
  it('when a browser request is forwarded, then the cookie and the anti-forgery header stay behind and the token, correlation id and client IP go along', () => {
    const incoming = new Headers({
      cookie: 'krt-session=abc',
      'x-csrf': '1',
      'idempotency-key': 'k-1',
      'content-type': 'application/json',
      authorization: 'Bearer forged',
      'x-forwarded-for': '6.6.6.6',
      host: 'localhost:5000',
    });
    const out = upstreamRequestHeaders(incoming, { accessToken: 'tok', correlationId: 'c-1', clientIp: '10.0.0.7', proto: 'http' });
    expect(out.get('cookie')).toBeNull();
    expect(out.get('x-csrf')).toBeNull();
    expect(out.get('authorization')).toBe('Bearer tok');
    expect(out.get('idempotency-key')).toBe('k-1');
    expect(out.get('x-correlation-id')).toBe('c-1');
    expect(out.get('x-forwarded-for')).toBe('10.0.0.7');
    expect(out.get('content-type')).toBe('application/json');
  });

  it('when a public route is forwarded without a session, then no authorization header is invented or passed through', () => {
    const out = upstreamRequestHeaders(new Headers({ authorization: 'Bearer forged' }), { correlationId: 'c', clientIp: '1.1.1.1', proto: 'http' });
    expect(out.get('authorization')).toBeNull();
  });

  it('when an upstream answers, then its cookies are dropped and its locations move under /api', () => {
    const out = browserResponseHeaders(new Headers({ 'set-cookie': 'x=1', location: '/v1/pix/keys/1', 'content-type': 'application/json', server: 'x' }));
    expect(out.get('set-cookie')).toBeNull();
    expect(out.get('server')).toBeNull();
    expect(out.get('location')).toBe('/api/v1/pix/keys/1');
    expect(out.get('content-type')).toBe('application/json');
  });

  it('when an upstream replays an idempotent answer, then Idempotent-Replayed reaches the browser (and is absent on a first answer)', () => {
    const replay = browserResponseHeaders(new Headers({ 'content-type': 'application/json', 'idempotent-replayed': 'true' }));
    expect(replay.get('idempotent-replayed')).toBe('true');
    const first = browserResponseHeaders(new Headers({ 'content-type': 'application/json' }));
    expect(first.get('idempotent-replayed')).toBeNull();
  });
});
