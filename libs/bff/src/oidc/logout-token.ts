// OpenID Connect Back-Channel Logout 1.0 (§2.4–2.6): Keycloak POSTs a signed logout token when a user's session ends
// there (an operator logs the user out, the account is disabled, the session expires or ends in another app).
// The BFF then deletes every server session opened under that Keycloak session.
import { createRemoteJWKSet, jwtVerify } from 'jose';

export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

export interface LogoutTokenClaims {
  /** The Keycloak session that ended. */
  sid?: string;
  /** The user, when the token names no single session. */
  sub?: string;
}

export class InvalidLogoutTokenError extends Error {}

/** Verifies a logout token: signature from the realm's keys, issuer, audience = this client, the logout event, no nonce. */
export function createLogoutTokenVerifier(opts: { issuer: string; jwksUrl: string; clientId: string }) {
  const jwks = createRemoteJWKSet(new URL(opts.jwksUrl), { cooldownDuration: 30_000, timeoutDuration: 3000 });
  return async function verifyLogoutToken(token: string): Promise<LogoutTokenClaims> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, jwks, { issuer: opts.issuer, audience: opts.clientId, algorithms: ['RS256'], clockTolerance: 5, maxTokenAge: '5m' }));
    } catch (err) {
      throw new InvalidLogoutTokenError(`logout token refused: ${(err as Error).message}`);
    }
    const events = payload.events;
    if (!events || typeof events !== 'object' || !(BACKCHANNEL_LOGOUT_EVENT in events)) throw new InvalidLogoutTokenError('logout token without the back-channel logout event');
    if ('nonce' in payload) throw new InvalidLogoutTokenError('logout token with a nonce');
    const sid = typeof payload.sid === 'string' && payload.sid ? payload.sid : undefined;
    const sub = typeof payload.sub === 'string' && payload.sub ? payload.sub : undefined;
    if (!sid && !sub) throw new InvalidLogoutTokenError('logout token names neither a session nor a user');
    return { sid, sub };
  };
}

export type LogoutTokenVerifier = ReturnType<typeof createLogoutTokenVerifier>;
