// The client's IP for rate limiting: the socket peer, or, when the peer is a trusted proxy (loopback, where
// the BFF runs, or ONBOARDING_TRUSTED_PROXIES), the last X-Forwarded-For entry that proxy appended.
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { isIP } from 'node:net';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export function clientIp(c: Context, trustedProxies: ReadonlySet<string>): string {
  let peer = 'unknown';
  try {
    peer = getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request() in tests has no socket
  }
  if (LOOPBACK.has(peer) || trustedProxies.has(peer)) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').map((s) => s.trim()).filter(Boolean);
    const last = forwarded?.[forwarded.length - 1];
    if (last && isIP(last)) return last;
  }
  return peer;
}
