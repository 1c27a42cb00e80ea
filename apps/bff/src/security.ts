// Browser-facing protections: security headers, the anti-forgery header, body limits, client IP, no caching of
// authenticated answers.
import { AppError, clientIp as platformClientIp, parseProxyList, proxyTrust } from '@krt/platform/http';
import type { AppEnv } from '@krt/platform/http';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import type { BffConfig } from './config';

export const CSRF_HEADER = 'x-csrf';

export function securityHeaders(cfg: BffConfig): MiddlewareHandler {
  const development = cfg.NODE_ENV === 'development' || cfg.NODE_ENV === 'test';
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      baseUri: ["'self'"],
      scriptSrc: ["'self'"],
      // Angular inlines component styles and critical CSS.
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      formAction: ["'self'", cfg.KEYCLOAK_PUBLIC_URL],
    },
    strictTransportSecurity: development ? false : 'max-age=31536000; includeSubDomains',
    xFrameOptions: 'DENY',
    xContentTypeOptions: 'nosniff',
    referrerPolicy: 'strict-origin-when-cross-origin',
    crossOriginOpenerPolicy: 'same-origin',
    crossOriginResourcePolicy: 'same-origin',
    crossOriginEmbedderPolicy: false,
    permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
  });
}

/** Authenticated answers are never stored by the browser or a shared cache. */
export const noStore: MiddlewareHandler = async (c, next) => {
  await next();
  if (!c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-store');
};

export const csrfMissing = () =>
  new AppError(403, 'CSRF_HEADER_MISSING', 'Requisição recusada por segurança. Recarregue a página e tente novamente.');

/**
 * Requires the anti-forgery header `X-CSRF: 1`. A page on another origin cannot add it without a CORS preflight,
 * which the BFF never grants. `allowSameOriginFetchMetadata` additionally accepts browser requests the browser itself
 * marks `Sec-Fetch-Site: same-origin` (for `EventSource`, which cannot set headers).
 */
export function requireCsrfHeader(opts: { allowSameOriginFetchMetadata?: boolean } = {}): MiddlewareHandler {
  return async (c, next) => {
    const ok = c.req.header(CSRF_HEADER) === '1' || (opts.allowSameOriginFetchMetadata && c.req.header('sec-fetch-site') === 'same-origin');
    if (!ok) throw csrfMissing();
    await next();
  };
}

export function limitBody(maxSize: number): MiddlewareHandler {
  const limit = bodyLimit({
    maxSize,
    onError: () => {
      throw new AppError(413, 'PAYLOAD_TOO_LARGE', 'O conteúdo enviado é grande demais.');
    },
  });
  // A GET or HEAD has no body in the fetch model (@hono/node-server never gives their Request one), so bodyLimit could
  // only find `raw.body` empty, after building the whole Request to look (~8 % of the BFF's CPU on a cached read).
  return (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limit(c, next));
}

/**
 * The client's address by the platform's one rule (`resolveClientIp`): the rightmost X-Forwarded-For address that is
 * not a trusted proxy, the socket peer when no trusted proxy is in front (TRUST_PROXY off and the peer not in
 * TRUSTED_PROXIES). Built once per app from its config.
 */
export function clientIpOf(cfg: Pick<BffConfig, 'TRUST_PROXY' | 'TRUSTED_PROXIES'>): (c: Context<AppEnv>) => string {
  const trust = proxyTrust({ peer: cfg.TRUST_PROXY, addresses: parseProxyList(cfg.TRUSTED_PROXIES) });
  return (c) => platformClientIp(c, trust);
}
