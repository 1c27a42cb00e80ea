// Attacker's checklist — open redirects and security headers: every known bypass of the `returnUrl` check through the
// real Keycloak sign-in, the browser protections on every kind of answer (errors included), the anti-forgery header on
// every state-changing method, and no CORS grant to another origin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawHttp } from './fuzz-kit';
import { BffClient, browserSignIn, closeTestKit, newRealmCustomer, PASSWORD, startBff, type TestBff, type TestCustomer } from '../bff/bff-test-kit';

let bff: TestBff;
let customer: TestCustomer;

beforeAll(async () => {
  [bff, customer] = await Promise.all([startBff({ RATE_LIMIT_AUTH_PER_IP: '1000', RATE_LIMIT_SIGNIN_PER_IP: '1000', RATE_LIMIT_SIGNIN_PER_IP_CPF: '1000' }), newRealmCustomer()]);
});
afterAll(async () => {
  await bff?.close();
  await closeTestKit();
});

describe('open redirect in returnUrl', () => {
  const HOSTILE = [
    'https://evil.example/phish',
    '//evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '/%5Cevil.example',
    'https:evil.example',
    '///evil.example',
    ' //evil.example',
    '\t//evil.example',
    'javascript:alert(document.cookie)',
    'data:text/html,<script>alert(1)</script>',
    '/inicio\r\nSet-Cookie: pwned=1',
    `/${'a'.repeat(600)}`,
  ];

  it('when the sign-in starts with a hostile returnUrl, then after Keycloak the browser always lands on this site (a local path), never elsewhere', async () => {
    for (const returnUrl of HOSTILE) {
      const client = new BffClient(bff);
      const { done } = await browserSignIn(client, customer.cpf, PASSWORD, returnUrl);
      expect(done.status, returnUrl).toBe(303);
      const location = done.headers.get('location')!;
      const resolved = new URL(location, 'http://localhost:5000');
      expect(resolved.origin, `${JSON.stringify(returnUrl)} → ${location}`).toBe('http://localhost:5000');
      expect(location.startsWith('/') && !location.startsWith('//') && !location.startsWith('/\\'), location).toBe(true);
      expect(done.headers.get('set-cookie') ?? '', returnUrl).not.toContain('pwned');
    }
  }, 120_000);

  it('when the returnUrl is a local path with a query and a fragment, then it is kept (the check does not break legitimate deep links)', async () => {
    const client = new BffClient(bff);
    const { done } = await browserSignIn(client, customer.cpf, PASSWORD, '/extrato?type=DEBIT#topo');
    expect(done.headers.get('location')).toBe('/extrato?type=DEBIT#topo');
  });
});

describe('security headers and cross-site protections', () => {
  it('when the BFF answers with an error of any kind (401, 403, 404, 413, 422) or a page, then the browser protections are on it and API answers are never cached', async () => {
    const anon = new BffClient(bff);
    const signed = new BffClient(bff);
    await signed.signIn(customer.cpf);
    const answers = [
      ['401', await anon.get('/api/v1/accounts/me')],
      ['403 csrf', await signed.get('/api/v1/accounts/me', { csrf: false })],
      ['404 route', await signed.get('/api/v1/nao-existe')],
      ['422', await anon.post('/auth/session', { cpf: '123', password: 'x' })],
      ['page', await anon.get('/')],
      ['docs', await anon.get('/api/docs')],
    ] as const;
    for (const [what, r] of answers) {
      const csp = r.headers.get('content-security-policy') ?? '';
      expect(csp, what).toContain("frame-ancestors 'none'");
      expect(csp, what).toContain("object-src 'none'");
      expect(csp, what).not.toContain("script-src 'unsafe-inline'");
      expect(r.headers.get('x-content-type-options'), what).toBe('nosniff');
      expect(r.headers.get('x-frame-options'), what).toBe('DENY');
      expect(r.headers.get('referrer-policy'), what).toBeTruthy();
      expect(r.headers.get('x-powered-by'), what).toBeNull();
      if (what !== 'page' && what !== 'docs') expect(r.headers.get('cache-control'), what).toContain('no-store');
    }
    // 413 over a raw socket: the BFF answers before reading the body (see the report: fetch's keep-alive pool would
    // otherwise reuse a socket the server is about to close).
    const pad = JSON.stringify({ type: 'EVP', pad: 'x'.repeat(100_000) });
    const tooBig = await rawHttp(
      bff.server.port,
      `POST /api/v1/pix/keys HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nX-CSRF: 1\r\nCookie: ${signed.cookieHeader()}\r\nContent-Length: ${pad.length}\r\nConnection: close\r\n\r\n`,
      pad,
    );
    expect(tooBig.status).toBe(413);
    const head = tooBig.raw.split('\r\n\r\n')[0]!.toLowerCase();
    expect(head).toContain("frame-ancestors 'none'");
    expect(head).toContain('x-content-type-options: nosniff');
    expect(head).toContain('cache-control: no-store');
  });

  it('when another origin sends a preflight or a credentialed request, then no CORS grant comes back, and state changes without X-CSRF are refused for every method', async () => {
    const preflight = await fetch(`${bff.url}/api/v1/pix/transfers`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-csrf,content-type' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    expect(preflight.headers.get('access-control-allow-headers')).toBeNull();

    const signed = new BffClient(bff);
    await signed.signIn(customer.cpf);
    for (const [method, path] of [
      ['POST', '/api/v1/pix/transfers'],
      ['PUT', '/api/v1/accounts/me/limits'],
      ['PATCH', '/api/v1/customers/me'],
      ['DELETE', '/api/v1/pix/keys/00000000-0000-4000-8000-000000000000'],
      ['POST', '/api/v1/notifications/read-all'],
      ['POST', '/auth/logout'],
    ] as const) {
      const r = await signed.request(method, path, { csrf: false, body: {}, headers: { origin: 'https://evil.example' } });
      // Refused by the BFF for the missing header (not, say, by payments for a missing transaction PIN, also a 403).
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.code, `${method} ${path}`).toBe('CSRF_HEADER_MISSING');
      expect(r.headers.get('access-control-allow-origin'), `${method} ${path}`).toBeNull();
    }
    // A form post (no custom header possible) with a wrong X-CSRF value is refused as well.
    const wrongValue = await signed.request('POST', '/api/v1/notifications/read-all', { csrf: false, headers: { 'x-csrf': 'yes' } });
    expect(wrongValue.status).toBe(403);
    // The session is intact after all that.
    expect((await signed.get('/auth/me')).body.authenticated).toBe(true);
  });
});
