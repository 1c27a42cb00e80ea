// Bearer-token authentication for the APIs: Keycloak JWTs verified by signature (JWKS), issuer, audience and expiry.
import type { MiddlewareHandler } from 'hono';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { realmUrls, type KeycloakConfig } from './config';
import { Errors } from './errors';
import type { AppEnv } from './http';
import type { ReadinessCheck } from './readiness';

export interface Principal {
  /** Keycloak user id (`sub`). */
  userId: string;
  /** KRT customer id (claim `customer_id`), absent for operators and service accounts. */
  customerId?: string;
  /** Username: the CPF for customers. */
  username?: string;
  roles: string[];
  /** The raw bearer token, for calls this service makes on the caller's behalf. */
  token: string;
}

export type AuthEnv = AppEnv & { Variables: AppEnv['Variables'] & { principal: Principal } };

interface KeycloakClaims extends JWTPayload {
  customer_id?: string;
  preferred_username?: string;
  realm_access?: { roles?: string[] };
}

export function createTokenVerifier(cfg: KeycloakConfig) {
  const urls = realmUrls(cfg);
  const jwks = createRemoteJWKSet(new URL(urls.jwks), { cooldownDuration: 30_000, timeoutDuration: 3000 });
  return async function verify(token: string): Promise<Principal> {
    const { payload } = await jwtVerify<KeycloakClaims>(token, jwks, {
      issuer: urls.issuer,
      audience: cfg.API_AUDIENCE,
      algorithms: ['RS256'],
      clockTolerance: 5,
    });
    if (!payload.sub) throw new Error('token without subject');
    return {
      userId: payload.sub,
      customerId: payload.customer_id,
      username: payload.preferred_username,
      roles: payload.realm_access?.roles ?? [],
      token,
    };
  };
}

export type TokenVerifier = ReturnType<typeof createTokenVerifier>;

/** Requires `Authorization: Bearer <jwt>`; puts the verified principal in `c.var.principal`. */
export function requireAuth(verify: TokenVerifier): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer ([A-Za-z0-9._-]+)$/.exec(header);
    if (!match?.[1]) throw Errors.unauthenticated();
    try {
      c.set('principal', await verify(match[1]));
    } catch {
      throw Errors.unauthenticated();
    }
    await next();
  };
}

export function requireRole(role: string): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    if (!c.var.principal?.roles.includes(role)) throw Errors.forbidden();
    await next();
  };
}

export function keycloakReadiness(cfg: KeycloakConfig): ReadinessCheck {
  const { discovery } = realmUrls(cfg);
  return {
    name: 'keycloak',
    check: async () => {
      const res = await fetch(discovery, { signal: AbortSignal.timeout(1200) });
      if (!res.ok) throw new Error(`discovery answered ${res.status}`);
      await res.arrayBuffer();
    },
  };
}
