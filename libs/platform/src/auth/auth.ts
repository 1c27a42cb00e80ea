// Bearer-token authentication for the APIs: Keycloak JWTs verified by signature (JWKS), issuer, audience and expiry.
import type { MiddlewareHandler } from 'hono';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { createHash } from 'node:crypto';
import { realmUrls, type KeycloakConfig } from '../config/config';
import { Errors } from '../http/errors';
import type { AppEnv } from '../http/http';
import type { ReadinessCheck } from '../http/readiness';

export interface Principal {
  /** Keycloak user id (`sub`). */
  userId: string;
  /** KRT customer id (claim `customer_id`), absent for operators and service accounts. */
  customerId?: string;
  /** Username: the CPF for customers. */
  username?: string;
  roles: string[];
  /** When the user last typed the password (claim `auth_time`, seconds since the epoch), when the token says. */
  authTime?: number;
  /** The raw bearer token, for calls this service makes on the caller's behalf. */
  token: string;
}

export type AuthEnv = AppEnv & { Variables: AppEnv['Variables'] & { principal: Principal } };

/**
 * Whether the password was typed at most `maxAgeSeconds` ago (the token's `auth_time`): the step-up sensitive changes
 * ask for (the BFF's /auth/reauthenticate gets such a token). A token without `auth_time` (a password grant) is not.
 */
export function authenticatedWithin(authTime: number | undefined, maxAgeSeconds: number, nowMs: number = Date.now()): boolean {
  return authTime !== undefined && nowMs / 1000 - authTime <= maxAgeSeconds;
}

interface KeycloakClaims extends JWTPayload {
  customer_id?: string;
  auth_time?: number;
  preferred_username?: string;
  realm_access?: { roles?: string[] };
}

export interface TokenVerifierOptions {
  /** How many verified tokens are remembered (least recently used first out). */
  cacheSize?: number;
}

/**
 * Verifies a bearer token once, then remembers the principal until the token's own expiry (`exp`): a client sends
 * the same token on every request until it refreshes it. Keyed by the token's SHA-256; bounded (LRU); a failure is
 * never remembered.
 */
export function createTokenVerifier(cfg: KeycloakConfig, opts: TokenVerifierOptions = {}) {
  const urls = realmUrls(cfg);
  const jwks = createRemoteJWKSet(new URL(urls.jwks), { cooldownDuration: 30_000, timeoutDuration: 3000 });
  const cacheSize = opts.cacheSize ?? 10_000;
  // A Map iterates in insertion order: re-inserting on a hit keeps the least recently used first.
  const verified = new Map<string, { principal: Principal; expiresAtMs: number }>();
  return async function verify(token: string): Promise<Principal> {
    const id = createHash('sha256').update(token).digest('base64url');
    const hit = verified.get(id);
    if (hit) {
      verified.delete(id);
      if (Date.now() < hit.expiresAtMs) {
        verified.set(id, hit);
        return hit.principal;
      }
    }
    const { payload } = await jwtVerify<KeycloakClaims>(token, jwks, {
      issuer: urls.issuer,
      audience: cfg.API_AUDIENCE,
      algorithms: ['RS256'],
      clockTolerance: 5,
    });
    if (!payload.sub) throw new Error('token without subject');
    const principal: Principal = Object.freeze({
      userId: payload.sub,
      customerId: payload.customer_id,
      username: payload.preferred_username,
      roles: Object.freeze([...(payload.realm_access?.roles ?? [])]) as string[],
      ...(typeof payload.auth_time === 'number' ? { authTime: payload.auth_time } : {}),
      token,
    });
    if (typeof payload.exp === 'number' && cacheSize > 0) {
      verified.set(id, { principal, expiresAtMs: payload.exp * 1000 });
      if (verified.size > cacheSize) verified.delete(verified.keys().next().value!);
    }
    return principal;
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
