// Attacker's checklist — sessions: fixation with a planted cookie, cookie flags on every cookie the BFF ever sets
// (first-party sign-in, browser sign-in, logout; http and https), and no token anywhere a browser can see it
// (bodies, headers, rendered pages, the API description) nor in clear in Redis. The kit's client also checks every
// response it receives for the real tokens of the sessions it created.
import { createRedis } from '@krt/platform/persistence';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BffClient, browserSignIn, closeTestKit, depositTo, newBankCustomer, startBff, tokenGuardStats, type TestBff } from '../bff/bff-test-kit';

const JWT_RE = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/;
let bff: TestBff;
let https: TestBff;
let customer: Awaited<ReturnType<typeof newBankCustomer>>;

beforeAll(async () => {
  [bff, https, customer] = await Promise.all([
    startBff(),
    // The password endpoint is off in production unless set: this BFF turns it on to check its cookies too.
    startBff({ PUBLIC_URL: 'https://bank.krt.test', NODE_ENV: 'production', BFF_SESSION_KEY: 'a-real-secret-for-this-test-only', BFF_PASSWORD_SIGNIN: 'on' }),
    newBankCustomer(),
  ]);
  await depositTo(customer.accountId, '10.00');
});
afterAll(async () => {
  await bff?.close();
  await https?.close();
  await closeTestKit();
});

describe('session fixation', () => {
  it('when an attacker plants a session cookie of their choosing before the victim signs in, then the victim gets a fresh id and the planted one never becomes a session', async () => {
    const planted = 'AttackerChoseThisSessionId0123456789abcdefg';
    const victim = new BffClient(bff);
    victim.jar.set('krt-session', planted);
    expect((await victim.signIn(customer.cpf)).status).toBe(204);
    expect(victim.sessionId).toBeDefined();
    expect(victim.sessionId).not.toBe(planted);
    expect((await victim.get('/api/v1/accounts/me/balance')).status).toBe(200);

    const attacker = new BffClient(bff);
    attacker.jar.set('krt-session', planted);
    expect((await attacker.get('/api/v1/accounts/me/balance')).status).toBe(401);
    expect((await attacker.get('/auth/me')).body.authenticated).toBe(false);
  });

  it('when the victim signs in through Keycloak with a planted cookie, then the browser sign-in also issues a fresh id', async () => {
    const planted = 'PlantedBeforeTheKeycloakSignIn0123456789abc';
    const victim = new BffClient(bff);
    victim.jar.set('krt-session', planted);
    const { done } = await browserSignIn(victim, customer.cpf, 'Krt#Bff2026');
    expect(done.status).toBe(303);
    expect(victim.sessionId).not.toBe(planted);
    const attacker = new BffClient(bff);
    attacker.jar.set('krt-session', planted);
    expect((await attacker.get('/api/v1/accounts/me')).status).toBe(401);
  });
});

describe('cookie flags', () => {
  it('when served over https, then every cookie set during sign-in (both kinds) and logout is HttpOnly, Secure, SameSite and Path=/, and the session cookie is __Host-', async () => {
    const client = new BffClient(https);
    const all: string[] = [];
    all.push(...(await client.signIn(customer.cpf)).setCookies);
    const login = await client.get('/auth/login?returnUrl=/inicio');
    all.push(...login.setCookies);
    all.push(...(await client.post('/auth/logout')).setCookies);
    expect(all.length).toBeGreaterThanOrEqual(3);
    for (const sc of all) {
      const [pair, ...attrs] = sc.split(';').map((s) => s.trim());
      const lower = attrs.map((a) => a.toLowerCase());
      expect(lower, sc).toContain('httponly');
      expect(lower, sc).toContain('secure');
      expect(lower.some((a) => a === 'samesite=strict' || a === 'samesite=lax'), sc).toBe(true);
      expect(lower, sc).toContain('path=/');
      expect(lower.some((a) => a.startsWith('domain=')), `${sc} must be host-only`).toBe(false);
      if (pair!.includes('session')) expect(pair!.startsWith('__Host-'), sc).toBe(true);
    }
    const session = all.find((c) => c.startsWith('__Host-krt-session=') && !/max-age=0/i.test(c))!;
    expect(session.toLowerCase()).toContain('samesite=strict');
  });
});

describe('no token in any browser-visible place', () => {
  it('when a signed-in customer walks through the app, then no response (headers, JSON, rendered pages, API description) carries a token, and Redis holds the session sealed', async () => {
    const client = new BffClient(bff);
    await client.signIn(customer.cpf);
    const visited = ['/auth/me', '/api/v1/dashboard', '/api/v1/accounts/me', '/api/v1/accounts/me/balance', '/api/v1/accounts/me/statement', '/api/v1/pix/transfers', '/api/v1/pix/keys', '/api/v1/notifications', '/api/docs', '/', '/inicio', '/extrato', '/nao-existe'];
    for (const path of visited) {
      const r = await client.get(path); // the kit's client fails the test on any token in headers or body
      expect(r.status, path).toBeLessThan(500);
      expect(JWT_RE.test(r.text), path).toBe(false);
    }
    const me = await client.get('/auth/me');
    expect(Object.keys(me.body).sort()).toEqual(['authenticated', 'cpf', 'customerId', 'name', 'roles', 'sessionExpiresAt']);
    expect(me.body.cpf).not.toBe(customer.cpf); // masked
    expect(tokenGuardStats().knownTokens).toBeGreaterThan(0);

    // Server side, the session record is sealed: no token in clear under the BFF's keys.
    const redis = createRedis('redis://127.0.0.1:6380');
    try {
      const keys = await redis.keys(`${bff.rt.deps.cfg.REDIS_KEY_PREFIX}*`);
      expect(keys.length).toBeGreaterThan(0);
      for (const k of keys) {
        const type = await redis.type(k);
        const value = type === 'string' ? await redis.get(k) : type === 'hash' ? JSON.stringify(await redis.hgetall(k)) : '';
        expect(JWT_RE.test(value ?? ''), `Redis key ${k} holds a token in clear`).toBe(false);
      }
    } finally {
      redis.disconnect();
    }
  });
});
