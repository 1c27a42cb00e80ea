// The client's IP address (for rate limits and audit), one rule for every service that faces a client or a proxy.
//
// Trust model: X-Forwarded-For is a list every proxy appends its peer's address to, so only its right end can be
// believed, and only as far as the proxies that wrote it are ours. The rule walks the list from the right, starting at
// the socket peer: while the address at hand is a trusted proxy, step one entry left; the first address that is not a
// trusted proxy is the client. Entries further left were written by the client (or by proxies we do not know) and are
// ignored, so a spoofed leftmost entry changes nothing. With no trusted proxy in front, the socket peer is the client.
// Each service says which proxies it trusts (its config): the BFF its load balancer(s) (TRUST_PROXY, TRUSTED_PROXIES),
// onboarding the loopback address the BFF calls it from plus ONBOARDING_TRUSTED_PROXIES. See docs/architecture.md.
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { isIP } from 'node:net';

export interface ProxyTrustConfig {
  /** Trust the socket peer whatever its address (the deployment guarantees a proxy sits in front: the BFF's TRUST_PROXY). */
  peer?: boolean;
  /** Trust loopback (127.0.0.0/8, ::1): a proxy on the same host, e.g. the BFF in front of onboarding. */
  loopback?: boolean;
  /** Addresses of trusted proxies (exact IPv4/IPv6 addresses; IPv4-mapped IPv6 forms are matched too). */
  addresses?: Iterable<string>;
}

/** Says whether the address at `hop` (0 = the socket peer, 1 = the rightmost X-Forwarded-For entry, ...) is a trusted proxy. */
export type ProxyTrust = (address: string, hop: number) => boolean;

/** `::ffff:10.0.0.1` → `10.0.0.1`; anything else unchanged (trimmed). */
export function normalizeIp(address: string): string {
  const a = address.trim();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(a);
  return mapped ? mapped[1]! : a.toLowerCase();
}

const isLoopback = (ip: string) => ip === '::1' || (isIP(ip) === 4 && ip.startsWith('127.'));

export function proxyTrust(cfg: ProxyTrustConfig): ProxyTrust {
  const addresses = new Set([...(cfg.addresses ?? [])].map(normalizeIp).filter(Boolean));
  return (address, hop) => {
    if (hop === 0 && cfg.peer) return true;
    const ip = normalizeIp(address);
    return addresses.has(ip) || (!!cfg.loopback && isLoopback(ip));
  };
}

/** A comma-separated list from config (`'10.0.0.1, 10.0.0.2'`) as addresses. */
export const parseProxyList = (list: string | undefined): string[] => (list ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/**
 * The client address given the socket peer and the X-Forwarded-For header: the rightmost address that is not a trusted
 * proxy. When every address is trusted (a call made by a proxy itself), the leftmost one; an entry that is not an IP
 * address ends the walk at the last trusted hop (only a trusted proxy can have written it that far right).
 */
export function resolveClientIp(peer: string | undefined, forwardedFor: string | undefined, trust: ProxyTrust): string {
  let current = peer ? normalizeIp(peer) : 'unknown';
  if (!peer || !trust(current, 0)) return current;
  const hops = (forwardedFor ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (let i = hops.length - 1, hop = 1; i >= 0; i--, hop++) {
    const next = normalizeIp(hops[i]!);
    if (!isIP(next)) return current;
    current = next;
    if (!trust(current, hop)) return current;
  }
  return current;
}

/** `resolveClientIp` for a Hono request served by @hono/node-server (`app.request()` in tests has no socket: 'unknown'). */
export function clientIp(c: Context, trust: ProxyTrust): string {
  let peer: string | undefined;
  try {
    peer = getConnInfo(c).remote.address;
  } catch {
    // no socket (app.request() in tests)
  }
  return resolveClientIp(peer, c.req.header('x-forwarded-for'), trust);
}
