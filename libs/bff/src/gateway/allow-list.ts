// Which public `/api/...` paths the BFF forwards, with which methods, to which upstream, and whether a session is needed.
// Anything not listed here is never proxied (no open proxy, no SSRF through path tricks); a listed path with a method
// it does not have is answered 405 by the BFF itself, before any session lookup or upstream call.

export type UpstreamName = 'payments' | 'onboarding' | 'notifications';

export interface Route {
  upstream: UpstreamName;
  /** Path on the upstream (the public path without the `/api` prefix), query string excluded. */
  path: string;
  /** Public routes need no session (they still need the anti-forgery header). */
  public: boolean;
  /** The methods this resource has upstream (HEAD is implied by GET). */
  methods: readonly string[];
}

interface Rule {
  /** Upstream path template, `{name}` for one path segment. */
  template: string;
  pattern: RegExp;
  upstream: UpstreamName;
  methods: readonly string[];
  public?: boolean;
}

const rule = (upstream: UpstreamName, template: string, methods: string[], opts: { public?: boolean } = {}): Rule => ({
  template,
  pattern: new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`),
  upstream,
  methods,
  ...opts,
});

/** Every resource the services expose to the browser, one line each (their OpenAPI documents list the same). */
const RULES: Rule[] = [
  rule('payments', '/v1/accounts/me', ['GET']),
  rule('payments', '/v1/accounts/me/balance', ['GET']),
  rule('payments', '/v1/accounts/me/statement', ['GET']),
  rule('payments', '/v1/accounts/me/statement.csv', ['GET']),
  rule('payments', '/v1/accounts/me/summary', ['GET']),
  rule('payments', '/v1/accounts/me/limits', ['GET', 'PUT']),
  rule('payments', '/v1/pix/pin', ['GET', 'POST', 'PUT']),
  rule('payments', '/v1/pix/keys', ['GET', 'POST']),
  rule('payments', '/v1/pix/keys/resolve', ['GET']),
  rule('payments', '/v1/pix/keys/{id}', ['DELETE']),
  rule('payments', '/v1/pix/transfers', ['GET', 'POST']),
  rule('payments', '/v1/pix/transfers/{id}', ['GET']),
  rule('payments', '/v1/pix/transfers/{id}/receipt.pdf', ['GET']),
  rule('payments', '/v1/pix/transfers/{id}/refunds', ['POST']),
  rule('payments', '/v1/receipts/verify', ['GET'], { public: true }),
  // The back office (realm role admin, checked upstream and by the BFF): sandbox deposits under dual control, accounts.
  rule('payments', '/v1/admin/deposit-requests', ['GET', 'POST']),
  rule('payments', '/v1/admin/deposit-requests/{id}/approve', ['POST']),
  rule('payments', '/v1/admin/deposit-requests/{id}/reject', ['POST']),
  rule('payments', '/v1/admin/accounts', ['GET']),
  rule('payments', '/v1/admin/accounts/{id}/block', ['POST']),
  rule('payments', '/v1/admin/accounts/{id}/unblock', ['POST']),
  rule('onboarding', '/v1/registrations', ['POST'], { public: true }),
  rule('onboarding', '/v1/registrations/cpf-check', ['POST'], { public: true }),
  rule('onboarding', '/v1/registrations/{id}', ['GET'], { public: true }),
  rule('onboarding', '/v1/customers/me', ['GET', 'PATCH']),
  rule('onboarding', '/v1/customers/me/documents/{kind}', ['GET']),
  rule('onboarding', '/v1/admin/customers', ['GET']),
  rule('onboarding', '/v1/admin/kyc/applications', ['GET']),
  rule('onboarding', '/v1/admin/kyc/applications/{id}', ['GET']),
  rule('onboarding', '/v1/admin/kyc/applications/{id}/approve', ['POST']),
  rule('onboarding', '/v1/admin/kyc/applications/{id}/reject', ['POST']),
  rule('onboarding', '/v1/admin/kyc/applications/{id}/documents/{kind}', ['GET']),
  rule('notifications', '/v1/admin/dead-letters', ['GET']),
  rule('notifications', '/v1/admin/dead-letters/{id}/replay', ['POST']),
  rule('notifications', '/v1/notifications', ['GET']),
  rule('notifications', '/v1/notifications/unread-count', ['GET']),
  rule('notifications', '/v1/notifications/read-all', ['POST']),
  rule('notifications', '/v1/notifications/preferences', ['GET', 'PUT']),
  rule('notifications', '/v1/notifications/{id}/read', ['POST']),
];

/** `Allow` of a resource: its methods, HEAD with GET. */
export function allowHeader(methods: readonly string[]): string {
  return [...methods, ...(methods.includes('GET') ? ['HEAD'] : [])].join(', ');
}

/** Whether `method` may be forwarded to a resource with `methods` (HEAD rides on GET). */
export function methodAllowed(methods: readonly string[], method: string): boolean {
  return methods.includes(method) || (method === 'HEAD' && methods.includes('GET'));
}

/**
 * Maps a public pathname (as sent, still percent-encoded) to its upstream route, or undefined when it is not allowed.
 * Encoded slashes, backslashes, dot segments and empty segments are refused outright. The route says which methods the
 * resource has; the caller refuses the others.
 */
export function routeFor(pathname: string): Route | undefined {
  if (!pathname.startsWith('/api/')) return undefined;
  const path = pathname.slice('/api'.length);
  if (path.length > 512) return undefined;
  if (/%2f|%5c|%2e|%00/i.test(path) || path.includes('\\') || path.includes('//')) return undefined;
  if (path.split('/').some((seg) => seg === '.' || seg === '..')) return undefined;
  if (!/^[A-Za-z0-9/_.\-~%]+$/.test(path)) return undefined;
  // A literal resource (`/v1/pix/keys/resolve`) wins over a template that also matches it (`/v1/pix/keys/{id}`).
  const matches = RULES.filter((r) => r.pattern.test(path));
  const match = matches.find((r) => !r.template.includes('{')) ?? matches[0];
  return match ? { upstream: match.upstream, path, public: match.public ?? false, methods: match.methods } : undefined;
}

/** The allow-listed upstream path templates and their methods (the API description shows exactly these). */
export function allowListedOperations(): ReadonlyArray<{ upstream: UpstreamName; template: string; methods: readonly string[] }> {
  return RULES.map(({ upstream, template, methods }) => ({ upstream, template, methods }));
}
