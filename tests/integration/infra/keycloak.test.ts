import { createTokenVerifier } from '@krt/platform/auth';
import { createRealmUser, passwordGrant, testKeycloak } from '@krt/testing';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';

describe('Keycloak realm krt-bank (real server on 8080)', () => {
  it('when a customer signs in with the BFF client, then the token verifies against the JWKS with the right issuer and audience', async () => {
    const username = `test-${randomUUID().slice(0, 8)}`;
    const customerId = randomUUID();
    await createRealmUser({ username, password: 'Senha@Forte1', email: `${username}@example.com`, roles: ['customer'], customerId });
    const tokens = await passwordGrant(username, 'Senha@Forte1');
    expect(tokens.expires_in).toBe(900); // the seed's 15-minute access token

    const principal = await createTokenVerifier(testKeycloak)(tokens.access_token);
    expect(principal).toMatchObject({ username, customerId, roles: expect.arrayContaining(['customer']) });

    const claims = decodeJwt(tokens.access_token);
    expect(claims.iss).toBe('http://localhost:8080/realms/krt-bank');
    expect(claims.aud).toContain('krt-api');

    const jwks = createRemoteJWKSet(new URL('http://127.0.0.1:8080/realms/krt-bank/protocol/openid-connect/certs'));
    await expect(jwtVerify(tokens.access_token, jwks, { issuer: claims.iss, audience: 'another-api' })).rejects.toThrow();
    await expect(createTokenVerifier(testKeycloak)(`${tokens.access_token.slice(0, -4)}AAAA`)).rejects.toThrow();
  });

  it('refuses a wrong password', async () => {
    const username = `test-${randomUUID().slice(0, 8)}`;
    await createRealmUser({ username, password: 'Senha@Forte1', email: `${username}@example.com` });
    await expect(passwordGrant(username, 'wrong-password')).rejects.toThrow(/401/);
  });
});
