// Sign-in, session cookie, anti-forgery header, logout, sign-in rate limit, security headers: a real BFF in-process
// against the real Keycloak and Redis. Every response is checked for tokens by the kit's client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BffClient,
  browserSignIn,
  closeTestKit,
  newCpf,
  newRealmCustomer,
  PASSWORD,
  refreshAccepted,
  startBff,
  tokenGuardStats,
  type TestBff,
  type TestCustomer,
} from './bff-test-kit';

let bff: TestBff;
let customer: TestCustomer;

beforeAll(async () => {
  bff = await startBff();
  customer = await newRealmCustomer();
});
afterAll(async () => {
  await bff?.close();
  await closeTestKit();
  // The guard really looked at the suite's responses and knew the real tokens.
  expect(tokenGuardStats().responsesChecked).toBeGreaterThan(20);
  expect(tokenGuardStats().knownTokens).toBeGreaterThan(3);
});

const cookieAttrs = (setCookie: string) => setCookie.split(';').map((s) => s.trim());

describe('first-party sign-in (CPF + password through the direct grant)', () => {
  it('when a customer signs in, then the answer is 204 with an HttpOnly, SameSite=Strict, Path=/ session cookie holding only an id, and /auth/me shows who and until when', async () => {
    const client = new BffClient(bff);
    const res = await client.signIn(`${customer.cpf.slice(0, 3)}.${customer.cpf.slice(3, 6)}.${customer.cpf.slice(6, 9)}-${customer.cpf.slice(9)}`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    const setCookie = res.setCookies.find((c) => c.startsWith('krt-session='))!;
    const attrs = cookieAttrs(setCookie);
    expect(attrs).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/']));
    expect(attrs.some((a) => a.toLowerCase().startsWith('domain='))).toBe(false);
    expect(attrs.find((a) => a.startsWith('krt-session='))!.split('=')[1]).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const me = await client.get('/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ authenticated: true, customerId: customer.customerId, roles: ['customer'], name: 'Teste KRT' });
    expect(me.body.cpf).toBe(`***.${customer.cpf.slice(3, 6)}.${customer.cpf.slice(6, 9)}-**`);
    const endsIn = Date.parse(me.body.sessionExpiresAt) - Date.now();
    expect(endsIn).toBeGreaterThan(60_000);
    expect(endsIn).toBeLessThanOrEqual(1800_000 + 1000);
    expect(me.headers.get('cache-control')).toBe('no-store');
  });

  it('when someone signs in again with a session cookie already set, then a new session id is issued and the old one no longer works (no fixation)', async () => {
    const client = new BffClient(bff);
    await client.signIn(customer.cpf);
    const first = client.sessionId!;
    const planted = new BffClient(bff);
    planted.jar.set('krt-session', first);

    await client.signIn(customer.cpf);
    const second = client.sessionId!;
    expect(second).not.toBe(first);
    expect((await planted.get('/auth/me')).body).toEqual({ authenticated: false });
    expect((await client.get('/auth/me')).body.authenticated).toBe(true);
  });

  it('when the password is wrong, then 401 CREDENCIAIS_INVALIDAS and no session cookie', async () => {
    const client = new BffClient(bff);
    const res = await client.post('/auth/session', { cpf: customer.cpf, password: 'Errada#123' });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'CREDENCIAIS_INVALIDAS', message: 'CPF ou senha incorretos.' });
    expect(res.setCookies).toEqual([]);
  });

  it('when the CPF is not a valid CPF, then 422 with a field error', async () => {
    const res = await new BffClient(bff).post('/auth/session', { cpf: '123.456.789-00', password: 'x' });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ field: 'cpf', code: 'CPF_INVALID', message: 'CPF inválido.' }]);
  });

  it('when served over https, then the cookie is __Host-krt-session with Secure', async () => {
    const https = await startBff({ PUBLIC_URL: 'https://bank.krt.test' });
    try {
      const client = new BffClient(https);
      const res = await client.signIn(customer.cpf);
      expect(res.status).toBe(204);
      const attrs = cookieAttrs(res.setCookies[0]!);
      expect(attrs[0]).toMatch(/^__Host-krt-session=/);
      expect(attrs).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/', 'Secure']));
      expect((await client.get('/auth/me')).body.authenticated).toBe(true);
    } finally {
      await https.close();
    }
  });
});

describe('browser sign-in (authorization code + PKCE through Keycloak)', () => {
  it('when a browser signs in, then it is sent to the public Keycloak endpoint with PKCE S256, state and nonce, and comes back signed in to the local returnUrl', async () => {
    const client = new BffClient(bff);
    const { authorizeUrl, done } = await browserSignIn(client, customer.cpf, PASSWORD, '/pix/enviar?valor=10');
    const url = new URL(authorizeUrl);
    expect(`${url.origin}${url.pathname}`).toBe('http://localhost:8080/realms/krt-bank/protocol/openid-connect/auth');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')).toBeTruthy();
    expect(url.searchParams.get('nonce')).toBeTruthy();
    expect(url.searchParams.get('client_id')).toBe('krt-bff');

    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/pix/enviar?valor=10');
    const session = done.setCookies.find((c) => c.startsWith('krt-session='))!;
    expect(cookieAttrs(session)).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/']));
    expect((await client.get('/auth/me')).body).toMatchObject({ authenticated: true, customerId: customer.customerId });
  });

  it('when the return URL points to another site, then the sign-in returns to / instead', async () => {
    const client = new BffClient(bff);
    const { done } = await browserSignIn(client, customer.cpf, PASSWORD, 'https://evil.example/steal');
    expect(done.headers.get('location')).toBe('/');
  });

  it('when a callback arrives without the browser that started the sign-in (no login cookie), then 400 and no session', async () => {
    const starter = new BffClient(bff);
    const start = await starter.get('/auth/login');
    const state = new URL(start.headers.get('location')!).searchParams.get('state');
    const stranger = new BffClient(bff);
    const res = await stranger.get(`/auth/callback?code=forged&state=${state}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('LOGIN_EXPIRED');
    expect(stranger.sessionId).toBeUndefined();
  });
});

describe('anti-forgery header', () => {
  it('when an /api call has no X-CSRF header, then 403 even with a valid session', async () => {
    const client = new BffClient(bff);
    await client.signIn(customer.cpf);
    const res = await client.get('/api/v1/accounts/me', { csrf: false });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('CSRF_HEADER_MISSING');
    const wrong = await client.get('/api/v1/accounts/me', { csrf: false, headers: { 'x-csrf': '0' } });
    expect(wrong.status).toBe(403);
    expect((await client.get('/api/v1/dashboard', { csrf: false })).status).toBe(403);
  });

  it('when sign-in or logout is posted without X-CSRF, then 403 (no login or logout forgery)', async () => {
    const client = new BffClient(bff, { csrf: false });
    expect((await client.post('/auth/session', { cpf: customer.cpf, password: PASSWORD })).status).toBe(403);
    expect(client.sessionId).toBeUndefined();
    expect((await client.post('/auth/logout')).status).toBe(403);
  });
});

describe('logout', () => {
  it('when a customer logs out, then the old cookie gets 401, /auth/me says signed out, and the refresh token is revoked at Keycloak', async () => {
    // A customer of its own: sign-in attempts per IP + CPF are limited (5 a minute by default).
    const leaving = await newRealmCustomer();
    const client = new BffClient(bff);
    expect((await client.signIn(leaving.cpf)).status).toBe(204);
    const session = await client.rememberSessionTokens();
    const oldId = client.sessionId!;
    expect(await refreshAccepted(session!.record.refreshToken)).toBe(true);

    const out = await client.post('/auth/logout');
    expect(out.status).toBe(204);
    expect(out.setCookies[0]).toMatch(/^krt-session=; .*Max-Age=0/);

    const replay = new BffClient(bff);
    replay.jar.set('krt-session', oldId);
    const api = await replay.get('/api/v1/accounts/me');
    expect(api.status).toBe(401);
    expect(api.body.code).toBe('UNAUTHENTICATED');
    expect((await replay.get('/api/v1/dashboard')).status).toBe(401);
    expect((await replay.get('/auth/me')).body).toEqual({ authenticated: false });
    expect(await refreshAccepted(session!.record.refreshToken)).toBe(false);
  });
});

describe('rate limit on sign-in', () => {
  it('when the same IP tries the same CPF more than N times in the window, then the N+1th attempt gets 429 with Retry-After and RateLimit headers', async () => {
    const limited = await startBff({ RATE_LIMIT_SIGNIN_PER_IP_CPF: '3', RATE_LIMIT_SIGNIN_PER_IP: '10', RATE_LIMIT_SIGNIN_WINDOW_SECONDS: '60' });
    try {
      const client = new BffClient(limited);
      const cpf = newCpf(); // nobody: no Keycloak lockout of a real user
      for (let i = 1; i <= 3; i++) {
        const res = await client.post('/auth/session', { cpf, password: 'Errada#123' });
        expect(res.status, `attempt ${i}`).toBe(401);
        expect(res.headers.get('ratelimit-limit')).toBe('3');
        expect(res.headers.get('ratelimit-remaining')).toBe(String(3 - i));
      }
      const blocked = await client.post('/auth/session', { cpf, password: 'Errada#123' });
      expect(blocked.status).toBe(429);
      expect(blocked.body.code).toBe('MUITAS_TENTATIVAS');
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(blocked.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      expect(blocked.headers.get('ratelimit-remaining')).toBe('0');
      expect(blocked.headers.get('ratelimit-reset')).toBeTruthy();

      // Even the right password is refused while the window lasts; another CPF from the same IP still gets through.
      const other = await client.signIn(customer.cpf);
      expect(other.status).toBe(204);
    } finally {
      await limited.close();
    }
  });
});

describe('security headers', () => {
  it('when any page or API answers, then CSP with frame-ancestors none, nosniff, referrer policy and DENY framing are set; HSTS only outside development', async () => {
    const res = await new BffClient(bff).get('/auth/me');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('strict-transport-security')).toBeNull();
    const err = await new BffClient(bff).get('/api/v1/accounts/me', { csrf: false });
    expect(err.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");

    const prod = await startBff({ NODE_ENV: 'production', PUBLIC_URL: 'https://bank.krt.test' });
    try {
      const p = await new BffClient(prod).get('/auth/me');
      expect(p.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    } finally {
      await prod.close();
    }
  });
});
