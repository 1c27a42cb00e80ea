// The token verifier's cache: a verified token is remembered until its own expiry, bounded, and failures never are.
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticatedWithin, createTokenVerifier } from './auth';
import type { KeycloakConfig } from '../config/config';

describe('createTokenVerifier', () => {
  let server: Server;
  let cfg: KeycloakConfig;
  let sign: (claims: Record<string, unknown>, expiresInSeconds: number) => Promise<string>;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    cfg = { KEYCLOAK_URL: base, KEYCLOAK_PUBLIC_URL: base, KEYCLOAK_REALM: 'krt', API_AUDIENCE: 'krt-api' };
    sign = (claims, expiresInSeconds) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(`${base}/realms/krt`)
        .setAudience('krt-api')
        .setSubject('user-1')
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds)
        .sign(privateKey);
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('when the same token comes again before it expires, then the remembered principal is answered without verifying again', async () => {
    const verify = createTokenVerifier(cfg);
    const token = await sign({ customer_id: 'c-1', realm_access: { roles: ['customer'] } }, 300);
    const first = await verify(token);
    expect(first).toMatchObject({ userId: 'user-1', customerId: 'c-1', roles: ['customer'], token });
    expect(await verify(token)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('when a remembered token has expired, then it is verified again (and the clock tolerance still applies)', async () => {
    const verify = createTokenVerifier(cfg);
    const token = await sign({}, 1);
    const first = await verify(token);
    await new Promise((r) => setTimeout(r, 1100));
    const again = await verify(token);
    expect(again).not.toBe(first);
    expect(again.userId).toBe('user-1');
  });

  it('when more tokens than the cache holds are used, then the least recently used one is verified again', async () => {
    const verify = createTokenVerifier(cfg, { cacheSize: 2 });
    const [a, b, c] = await Promise.all([sign({ n: 1 }, 300), sign({ n: 2 }, 300), sign({ n: 3 }, 300)]);
    const pa = await verify(a);
    const pb = await verify(b);
    expect(await verify(a)).toBe(pa); // a is now the most recent
    await verify(c); // evicts b
    expect(await verify(a)).toBe(pa);
    expect(await verify(b)).not.toBe(pb);
  });

  it('when a token fails verification, then the failure is not remembered and a forged token never passes', async () => {
    const verify = createTokenVerifier(cfg);
    const token = await sign({ customer_id: 'c-1' }, 300);
    const [h, p, s] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), customer_id: 'c-2' })).toString('base64url')}.${s}`;
    await expect(verify(forged)).rejects.toThrow();
    await expect(verify(forged)).rejects.toThrow();
    expect((await verify(token)).customerId).toBe('c-1');
  });
});

describe('authenticatedWithin (the step-up before sensitive changes)', () => {
  const now = Date.parse('2026-12-07T15:00:00Z');
  it('when the password was typed within the allowed age, then it is fresh; older, or a token without auth_time, is not', () => {
    expect(authenticatedWithin(now / 1000 - 300, 300, now)).toBe(true);
    expect(authenticatedWithin(now / 1000 - 10, 300, now)).toBe(true);
    expect(authenticatedWithin(now / 1000 - 301, 300, now)).toBe(false);
    expect(authenticatedWithin(undefined, 300, now)).toBe(false);
  });
});
