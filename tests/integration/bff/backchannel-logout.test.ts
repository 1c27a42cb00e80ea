// OpenID Connect Back-Channel Logout through the stack: when a customer's Keycloak session ends (here an operator logs
// the user out), Keycloak POSTs a signed logout token to the stack's BFF, which ends every BFF session opened under it.
import { realmUrls } from '@krt/platform/config';
import { eventually, serviceAccountToken, testKeycloak } from '@krt/testing';
import { generateKeyPair, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { STACK_BFF, StackBffClient } from '../observability/stack-kit';
import { newRealmCustomer, PASSWORD } from './bff-test-kit';

const urls = realmUrls(testKeycloak);

async function keycloakSessionsOf(userId: string): Promise<string[]> {
  const res = await fetch(`${urls.admin}/users/${userId}/sessions`, { headers: { authorization: `Bearer ${await serviceAccountToken()}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { id: string }[]).map((s) => s.id);
}

const signedIn = async (client: StackBffClient) => {
  const me = await client.request<{ authenticated: boolean }>('GET', '/auth/me');
  expect(me.status).toBe(200);
  return me.body.authenticated;
};

const postLogoutToken = (token?: string) =>
  fetch(`${STACK_BFF}/auth/backchannel-logout`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: token === undefined ? '' : new URLSearchParams({ logout_token: token }),
  });

describe('back-channel logout (Keycloak → BFF)', () => {
  it("when an operator ends one of a customer's Keycloak sessions, then the BFF session opened under it ends, and the customer's other session and another customer's go on", async () => {
    const [alice, bob] = await Promise.all([newRealmCustomer(), newRealmCustomer()]);
    const aliceLaptop = new StackBffClient();
    const alicePhone = new StackBffClient();
    const bobClient = new StackBffClient();
    await aliceLaptop.signIn(alice.cpf, PASSWORD);
    const [laptopSid] = await keycloakSessionsOf(alice.userId);
    await alicePhone.signIn(alice.cpf, PASSWORD);
    await bobClient.signIn(bob.cpf, PASSWORD);
    expect((await keycloakSessionsOf(alice.userId)).length).toBe(2);
    expect(await signedIn(aliceLaptop)).toBe(true);

    // The operator ends the laptop's session in Keycloak (admin API); Keycloak POSTs a logout token to the BFF.
    const res = await fetch(`${urls.admin}/sessions/${laptopSid}`, { method: 'DELETE', headers: { authorization: `Bearer ${await serviceAccountToken()}` } });
    expect(res.status).toBe(204);

    await eventually(async () => !(await signedIn(aliceLaptop)), { timeoutMs: 10_000, what: 'laptop session ended' });
    expect((await aliceLaptop.request('GET', '/api/v1/accounts/me')).status).toBe(401);
    expect(await signedIn(alicePhone)).toBe(true);
    expect(await signedIn(bobClient)).toBe(true);
  });

  it('when a logout token is missing, not a JWT, or forged with another key, then 400 INVALID_LOGOUT_TOKEN and the session goes on', async () => {
    const carol = await newRealmCustomer();
    const client = new StackBffClient();
    await client.signIn(carol.cpf, PASSWORD);
    const [sid] = await keycloakSessionsOf(carol.userId);
    expect(sid).toBeTruthy();

    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ sid, events: { 'http://schemas.openid.net/event/backchannel-logout': {} } })
      .setProtectedHeader({ alg: 'RS256', kid: 'not-the-realm-key', typ: 'logout+jwt' })
      .setIssuer(urls.issuer)
      .setAudience('krt-bff')
      .setIssuedAt()
      .setJti(randomUUID())
      .setExpirationTime('2m')
      .sign(privateKey);
    for (const [what, token] of [
      ['missing', undefined],
      ['not a JWT', 'abc.def'],
      ['forged', forged],
    ] as const) {
      const res = await postLogoutToken(token);
      expect(res.status, what).toBe(400);
      expect(((await res.json()) as { code: string }).code, what).toBe('INVALID_LOGOUT_TOKEN');
    }
    expect(await signedIn(client)).toBe(true);
  });
});
