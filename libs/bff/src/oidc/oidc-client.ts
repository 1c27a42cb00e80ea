// The BFF as a confidential OIDC client of Keycloak (oauth4webapi): authorization code + PKCE with state and nonce,
// the first-party direct grant, refresh, logout (end-session: this session only) and back-channel logout.
//
// Keycloak runs with a public host name (`http://localhost:8080`, the issuer in tokens and discovery) and answers the
// back channel on another address (`http://127.0.0.1:8080`). Discovery is fetched over the back channel; every endpoint
// the BFF itself calls is rewritten to the back channel, while the browser is sent to the public authorization endpoint.
import * as oauth from 'oauth4webapi';

export interface OidcSettings {
  /** Issuer as printed in tokens, e.g. http://localhost:8080/realms/krt-bank */
  issuer: string;
  /** The same realm reached over the back channel, e.g. http://127.0.0.1:8080/realms/krt-bank */
  internalIssuer: string;
  clientId: string;
  clientSecret: string;
  /** Per-call deadline for calls to Keycloak. */
  timeoutMs?: number;
}

export interface OidcTokens {
  accessToken: string;
  refreshToken: string;
  idToken?: string;
  /** Epoch ms. */
  accessExpiresAt: number;
  /** Epoch ms (Keycloak's refresh_expires_in: the SSO session's idle/max limit). */
  refreshExpiresAt: number;
  /** Claims of the validated ID token, when one came back. */
  idClaims?: Record<string, unknown>;
}

/** Keycloak refused the grant (wrong password, expired or revoked refresh token, bad code): definitive, not an outage. */
export class OidcRejectedError extends Error {
  constructor(
    readonly error: string,
    readonly description: string | undefined,
    readonly status: number,
  ) {
    super(`${error}${description ? `: ${description}` : ''}`);
    this.name = 'OidcRejectedError';
  }
}

export interface AuthorizationRequest {
  url: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface OidcClient {
  /** Builds the Keycloak URL the browser is redirected to (authorization code + PKCE S256 + state + nonce). */
  startAuthorization(redirectUri: string): Promise<AuthorizationRequest>;
  /**
   * Validates the callback (state, iss) and exchanges the code (PKCE verifier, ID token nonce; with maxAge, the request's
   * max_age: the ID token's auth_time at most that many seconds old).
   */
  exchangeCode(callbackUrl: URL, expected: { state: string; nonce: string; codeVerifier: string; redirectUri: string; maxAge?: number }): Promise<OidcTokens>;
  /** First-party sign-in: direct grant with the confidential client. */
  passwordGrant(username: string, password: string): Promise<OidcTokens>;
  refresh(refreshToken: string): Promise<OidcTokens>;
  /**
   * Ends the one Keycloak session the refresh token belongs to (end-session endpoint, back channel); its refresh token
   * is refused from then on ("Session not active"), so `revoked` says the same as `sessionEnded`. Not the revocation
   * endpoint: Keycloak 26 answers a refresh token's revocation by removing this client from every session of the user
   * (measured here 2026-12-06: two sessions before, none after), which would sign the customer out on every device.
   */
  logout(refreshToken: string): Promise<{ revoked: boolean; sessionEnded: boolean }>;
}

export function createOidcClient(settings: OidcSettings): OidcClient {
  const client: oauth.Client = { client_id: settings.clientId };
  const clientAuth = oauth.ClientSecretPost(settings.clientSecret);
  const timeoutMs = settings.timeoutMs ?? 5000;
  const publicBase = settings.issuer.replace(/\/$/, '');
  const internalBase = settings.internalIssuer.replace(/\/$/, '');
  const toBackChannel = (url: string | undefined) => (url && url.startsWith(publicBase) ? `${internalBase}${url.slice(publicBase.length)}` : url);
  const opts = () => ({ [oauth.allowInsecureRequests]: true, signal: AbortSignal.timeout(timeoutMs) });

  let discovered: Promise<oauth.AuthorizationServer> | undefined;
  const server = () => {
    discovered ??= (async () => {
      const res = await oauth.discoveryRequest(new URL(internalBase), { ...opts(), algorithm: 'oidc' });
      const as = await oauth.processDiscoveryResponse(new URL(publicBase), res);
      return {
        ...as,
        token_endpoint: toBackChannel(as.token_endpoint),
        revocation_endpoint: toBackChannel(as.revocation_endpoint),
        end_session_endpoint: toBackChannel(as.end_session_endpoint),
        jwks_uri: toBackChannel(as.jwks_uri),
        userinfo_endpoint: toBackChannel(as.userinfo_endpoint),
      };
    })().catch((err) => {
      discovered = undefined; // try again on the next call
      throw err;
    });
    return discovered;
  };

  const toTokens = (res: oauth.TokenEndpointResponse): OidcTokens => {
    const now = Date.now();
    if (!res.refresh_token) throw new Error('Keycloak returned no refresh token');
    const refreshIn = typeof res.refresh_expires_in === 'number' && res.refresh_expires_in > 0 ? res.refresh_expires_in : 1800;
    const idClaims = oauth.getValidatedIdTokenClaims(res);
    return {
      accessToken: res.access_token,
      refreshToken: res.refresh_token,
      idToken: res.id_token,
      accessExpiresAt: now + (res.expires_in ?? 300) * 1000,
      refreshExpiresAt: now + refreshIn * 1000,
      idClaims: idClaims ? { ...idClaims } : undefined,
    };
  };

  const rejected = (err: unknown): never => {
    if (err instanceof oauth.ResponseBodyError) throw new OidcRejectedError(err.error, err.error_description, err.status);
    if (err instanceof oauth.AuthorizationResponseError) throw new OidcRejectedError(err.error, err.error_description, 400);
    throw err;
  };

  return {
    async startAuthorization(redirectUri) {
      const as = await server();
      const codeVerifier = oauth.generateRandomCodeVerifier();
      const state = oauth.generateRandomState();
      const nonce = oauth.generateRandomNonce();
      const url = new URL(as.authorization_endpoint!);
      url.searchParams.set('client_id', settings.clientId);
      url.searchParams.set('redirect_uri', redirectUri);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('scope', 'openid profile');
      url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
      url.searchParams.set('code_challenge_method', 'S256');
      url.searchParams.set('state', state);
      url.searchParams.set('nonce', nonce);
      return { url: url.href, state, nonce, codeVerifier };
    },

    async exchangeCode(callbackUrl, expected) {
      const as = await server();
      try {
        const params = oauth.validateAuthResponse(as, client, callbackUrl, expected.state);
        const res = await oauth.authorizationCodeGrantRequest(as, client, clientAuth, params, expected.redirectUri, expected.codeVerifier, opts());
        return toTokens(await oauth.processAuthorizationCodeResponse(as, client, res, { expectedNonce: expected.nonce, requireIdToken: true, maxAge: expected.maxAge }));
      } catch (err) {
        return rejected(err);
      }
    },

    async passwordGrant(username, password) {
      const as = await server();
      try {
        const res = await oauth.genericTokenEndpointRequest(as, client, clientAuth, 'password', { username, password, scope: 'openid profile' }, opts());
        return toTokens(await oauth.processGenericTokenEndpointResponse(as, client, res));
      } catch (err) {
        return rejected(err);
      }
    },

    async refresh(refreshToken) {
      const as = await server();
      try {
        const res = await oauth.refreshTokenGrantRequest(as, client, clientAuth, refreshToken, opts());
        return toTokens(await oauth.processRefreshTokenResponse(as, client, res));
      } catch (err) {
        return rejected(err);
      }
    },

    async logout(refreshToken) {
      const as = await server();
      let sessionEnded = false;
      try {
        // Keycloak's end-session endpoint accepts a back-channel POST from a confidential client with the refresh token.
        const res = await fetch(as.end_session_endpoint!, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ client_id: settings.clientId, client_secret: settings.clientSecret, refresh_token: refreshToken }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        await res.arrayBuffer();
        sessionEnded = res.ok;
      } catch {
        sessionEnded = false;
      }
      return { revoked: sessionEnded, sessionEnded };
    },
  };
}
