import { describe, expect, it } from 'vitest';
import { normalizeIp, parseProxyList, proxyTrust, resolveClientIp } from './client-ip';

describe('client IP: the rightmost X-Forwarded-For address that is not a trusted proxy', () => {
  const onboarding = proxyTrust({ loopback: true, addresses: parseProxyList('10.0.0.5') });
  const bffBehindLb = proxyTrust({ peer: true });
  const bffTwoHops = proxyTrust({ peer: true, addresses: ['10.1.0.1'] });
  const bffDirect = proxyTrust({});

  it('when no trusted proxy is in front, then the socket peer, whatever X-Forwarded-For says', () => {
    expect(resolveClientIp('203.0.113.9', '1.2.3.4', onboarding)).toBe('203.0.113.9');
    expect(resolveClientIp('203.0.113.9', '1.2.3.4', bffDirect)).toBe('203.0.113.9');
    expect(resolveClientIp('::ffff:203.0.113.9', undefined, bffDirect)).toBe('203.0.113.9');
  });

  it('when the BFF (loopback) forwards for a client, then onboarding sees that client', () => {
    expect(resolveClientIp('127.0.0.1', '198.51.100.7', onboarding)).toBe('198.51.100.7');
    expect(resolveClientIp('::ffff:127.0.0.1', '198.51.100.7', onboarding)).toBe('198.51.100.7');
    expect(resolveClientIp('::1', '198.51.100.7', onboarding)).toBe('198.51.100.7');
    expect(resolveClientIp('10.0.0.5', '198.51.100.7', onboarding)).toBe('198.51.100.7');
  });

  it('when a client spoofs leftmost entries, then they are ignored', () => {
    expect(resolveClientIp('127.0.0.1', '6.6.6.6, 7.7.7.7, 198.51.100.7', onboarding)).toBe('198.51.100.7');
    expect(resolveClientIp('10.9.9.9', '6.6.6.6, 198.51.100.7', bffBehindLb)).toBe('198.51.100.7');
    // a spoofed entry that names a trusted proxy does not help either: the walk stops at the real client first
    expect(resolveClientIp('10.9.9.9', '10.1.0.1, 198.51.100.7, 10.1.0.1', bffTwoHops)).toBe('198.51.100.7');
  });

  it('when several trusted proxies are chained, then each is skipped from the right', () => {
    expect(resolveClientIp('10.9.9.9', '198.51.100.7, 10.1.0.1', bffTwoHops)).toBe('198.51.100.7');
    expect(resolveClientIp('127.0.0.1', '198.51.100.7, 10.0.0.5, 127.0.0.1', onboarding)).toBe('198.51.100.7');
  });

  it('when the trusted peer sends no X-Forwarded-For, or only trusted hops, then the nearest/leftmost trusted address', () => {
    expect(resolveClientIp('127.0.0.1', undefined, onboarding)).toBe('127.0.0.1');
    expect(resolveClientIp('127.0.0.1', ' , ', onboarding)).toBe('127.0.0.1');
    expect(resolveClientIp('127.0.0.1', '10.0.0.5', onboarding)).toBe('10.0.0.5');
  });

  it('when an entry is not an IP address, then the walk stops at the last trusted hop', () => {
    expect(resolveClientIp('127.0.0.1', 'nonsense', onboarding)).toBe('127.0.0.1');
    expect(resolveClientIp('127.0.0.1', '198.51.100.7, nonsense', onboarding)).toBe('127.0.0.1');
    expect(resolveClientIp('127.0.0.1', 'nonsense, 198.51.100.7', onboarding)).toBe('198.51.100.7');
  });

  it('when the peer is unknown (no socket), then unknown', () => {
    expect(resolveClientIp(undefined, '198.51.100.7', bffBehindLb)).toBe('unknown');
  });

  it('normalizes IPv4-mapped IPv6 and case', () => {
    expect(normalizeIp(' ::FFFF:10.0.0.1 ')).toBe('10.0.0.1');
    expect(normalizeIp('2001:DB8::1')).toBe('2001:db8::1');
  });
});
