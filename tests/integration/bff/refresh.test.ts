// Inline refresh: with a client whose access tokens live 8 s, calls keep working across expiry (the BFF refreshes
// before forwarding, once per session even under concurrent calls), and a refresh token revoked at Keycloak ends
// the session with 401.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BffClient,
  closeTestKit,
  ensureShortLivedClient,
  newBankCustomer,
  revokeAtKeycloak,
  SHORT_CLIENT,
  sleep,
  startBff,
  type TestBff,
  type TestCustomer,
} from './bff-test-kit';

let bff: TestBff;
let customer: TestCustomer;

beforeAll(async () => {
  await ensureShortLivedClient();
  bff = await startBff({ BFF_CLIENT_ID: SHORT_CLIENT.id, BFF_CLIENT_SECRET: SHORT_CLIENT.secret });
  customer = await newBankCustomer();
});
afterAll(async () => {
  await bff?.close();
  await closeTestKit();
});

describe('token refresh (access tokens of 8 seconds)', () => {
  it('when the access token expires between calls, then calls keep working with a refreshed token, refreshed once for concurrent calls', async () => {
    const client = new BffClient(bff);
    expect((await client.signIn(customer.cpf)).status).toBe(204);
    const before = (await client.rememberSessionTokens())!;
    expect(before.record.accessExpiresAt - Date.now()).toBeLessThanOrEqual(SHORT_CLIENT.accessTokenSeconds * 1000);

    const first = await client.get('/api/v1/accounts/me');
    expect(first.status).toBe(200);
    expect(first.body.customerId).toBe(customer.customerId);

    // Count the refreshes the BFF makes at Keycloak.
    const oidc = bff.rt.deps.oidc;
    const realRefresh = oidc.refresh.bind(oidc);
    let refreshes = 0;
    oidc.refresh = (token: string) => {
      refreshes++;
      return realRefresh(token);
    };

    await sleep(SHORT_CLIENT.accessTokenSeconds * 1000 + 500); // the first access token is now expired
    const calls = await Promise.all([client.get('/api/v1/accounts/me'), client.get('/api/v1/accounts/me/balance'), client.get('/api/v1/dashboard')]);
    expect(calls.map((c) => c.status)).toEqual([200, 200, 200]);
    expect(refreshes).toBe(1); // single-flight: three concurrent calls, one refresh

    const after = (await client.rememberSessionTokens())!;
    expect(after.record.accessToken).not.toBe(before.record.accessToken);
    expect(after.record.accessExpiresAt).toBeGreaterThan(before.record.accessExpiresAt);

    await sleep(SHORT_CLIENT.accessTokenSeconds * 1000 + 500);
    expect((await client.get('/api/v1/accounts/me')).status).toBe(200);
    expect((await client.get('/auth/me')).body.authenticated).toBe(true);
  });

  it('when the refresh token is revoked at Keycloak, then the next call after the access token expires gets 401 and the session is gone', async () => {
    const client = new BffClient(bff);
    expect((await client.signIn(customer.cpf)).status).toBe(204);
    const session = (await client.rememberSessionTokens())!;
    expect((await client.get('/api/v1/accounts/me')).status).toBe(200);

    await revokeAtKeycloak(session.record.refreshToken, SHORT_CLIENT.id, SHORT_CLIENT.secret);
    await sleep(Math.max(0, session.record.accessExpiresAt - Date.now()) + 500);

    const res = await client.get('/api/v1/accounts/me');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
    expect((await client.get('/auth/me')).body).toEqual({ authenticated: false });
    expect(await bff.rt.deps.sessions.peek(client.sessionId)).toBeUndefined();
  });
});
