// Which public `/api/...` paths the BFF forwards, to which upstream, and whether a session is needed.
// Anything not listed here is never proxied (no open proxy, no SSRF through path tricks).

export type UpstreamName = 'payments' | 'onboarding' | 'notifications';

export interface Route {
  upstream: UpstreamName;
  /** Path on the upstream (the public path without the `/api` prefix), query string excluded. */
  path: string;
  /** Public routes need no session (they still need the anti-forgery header). */
  public: boolean;
}

interface Rule {
  pattern: RegExp;
  upstream: UpstreamName;
  public?: boolean;
}

/** `prefix` matches the path itself and anything under it (`/v1/pix` and `/v1/pix/...`). */
const under = (prefix: string) => new RegExp(`^${prefix.replace(/\//g, '\\/')}(?:\\/.*)?$`);

const RULES: Rule[] = [
  { pattern: under('/v1/accounts'), upstream: 'payments' },
  { pattern: under('/v1/pix'), upstream: 'payments' },
  { pattern: under('/v1/admin/deposits'), upstream: 'payments' },
  { pattern: under('/v1/registrations'), upstream: 'onboarding', public: true },
  { pattern: under('/v1/customers'), upstream: 'onboarding' },
  { pattern: under('/v1/admin/kyc'), upstream: 'onboarding' },
  { pattern: /^\/v1\/notifications(?:[/-].*)?$/, upstream: 'notifications' },
];

/**
 * Maps a public pathname (as sent, still percent-encoded) to its upstream route, or undefined when it is not allowed.
 * Encoded slashes, backslashes, dot segments and empty segments are refused outright.
 */
export function routeFor(pathname: string): Route | undefined {
  if (!pathname.startsWith('/api/')) return undefined;
  const path = pathname.slice('/api'.length);
  if (path.length > 512) return undefined;
  if (/%2f|%5c|%2e|%00/i.test(path) || path.includes('\\') || path.includes('//')) return undefined;
  if (path.split('/').some((seg) => seg === '.' || seg === '..')) return undefined;
  if (!/^[A-Za-z0-9/_.\-~%]+$/.test(path)) return undefined;
  const rule = RULES.find((r) => r.pattern.test(path));
  return rule ? { upstream: rule.upstream, path, public: rule.public ?? false } : undefined;
}
