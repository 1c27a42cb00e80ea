// Edge hardening (issue #22): what one signed-in customer can do to everybody else through the gateway. Refused methods
// are answered by the BFF itself (405 + Allow) and malformed requests by the services (4xx problems); neither counts
// toward a circuit breaker, so another customer's balance keeps answering 200 throughout. Also: a body-less profile
// change, and control characters or a lone surrogate in a PIX description, are 4xx problems that change nothing.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BffClient, closeTestKit, depositTo, newBankCustomer, startBff, TEST_PIN, type TestBff } from '../bff/bff-test-kit';
import { newApplicant, register } from '../onboarding/onboarding-harness';

const ONBOARDING_URL = 'http://127.0.0.1:5001';

/** Any method Node's HTTP parser knows (fetch refuses TRACE and CONNECT before sending; node:http does not), any body. */
function send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers: { ...headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const REFUSED: Array<[string, string, string]> = [
  ['TRACE', '/api/v1/accounts/me/balance', 'GET, HEAD'],
  ['TRACE', '/api/v1/pix/transfers', 'GET, POST, HEAD'],
  ['PROPFIND', '/api/v1/accounts/me', 'GET, HEAD'],
  ['DELETE', '/api/v1/accounts/me/balance', 'GET, HEAD'],
  ['PATCH', '/api/v1/pix/keys', 'GET, POST, HEAD'],
  ['PUT', '/api/v1/pix/transfers/6f1c2f8e-1111-4a4a-9999-123456789abc', 'GET, HEAD'],
  ['OPTIONS', '/api/v1/notifications', 'GET, HEAD'],
  ['DELETE', '/api/v1/pix/keys/resolve', 'GET, HEAD'],
  ['POST', '/api/v1/dashboard', 'GET, HEAD'],
  ['LOCK', '/api/v1/customers/me', 'GET, PATCH, HEAD'],
];

const UUID = '6f1c2f8e-1111-4a4a-9999-123456789abc';
const MALFORMED: Array<[string, string, Record<string, string>, string | undefined]> = [
  ['POST', '/api/v1/pix/transfers', { 'content-type': 'application/json', 'idempotency-key': 'edge-1' }, '{"key": '],
  ['POST', '/api/v1/pix/transfers', { 'content-type': 'text/plain', 'idempotency-key': 'edge-2' }, 'key=a&amount=1'],
  ['POST', '/api/v1/pix/transfers', { 'idempotency-key': 'edge-3' }, undefined],
  ['POST', '/api/v1/pix/transfers', { 'content-type': 'application/json', 'idempotency-key': 'edge-4' }, '[1,2,3]'],
  ['POST', '/api/v1/pix/transfers', { 'content-type': 'application/json', 'idempotency-key': 'edge-5' }, `{"key":"+5511999999999","amount":"1.00","description":"a\\u0000b","pin":"${TEST_PIN}"}`],
  ['GET', `/api/v1/pix/transfers/not-a-uuid`, {}, undefined],
  ['GET', `/api/v1/pix/transfers/${UUID.slice(0, 30)}`, {}, undefined],
  ['DELETE', '/api/v1/pix/keys/%E2%9C%93', {}, undefined],
  ['PUT', '/api/v1/accounts/me/limits', { 'content-type': 'application/json' }, 'null'],
  ['PUT', '/api/v1/notifications/preferences', { 'content-type': 'application/xml' }, '<email>true</email>'],
  ['PATCH', '/api/v1/customers/me', {}, undefined],
  ['PATCH', '/api/v1/customers/me', { 'content-type': 'application/json' }, '"x"'],
  ['GET', '/api/v1/accounts/me/statement?limit=abc&from=yesterday', {}, undefined],
  ['POST', '/api/v1/notifications/x/read', {}, undefined],
  ['GET', '/api/v1/pix/keys/resolve?key=', {}, undefined],
  ['POST', '/api/v1/pix/keys', { 'content-type': 'application/json' }, '{"type":"EVP","value":1}'],
  ['GET', '/api/v1/customers/me/documents/passport', {}, undefined],
  ['POST', '/api/v1/admin/deposit-requests', { 'content-type': 'application/json' }, '{}'],
  ['GET', '/api/v1/admin/kyc/applications?status=NOPE', {}, undefined],
  ['GET', `/api/v1/registrations/${UUID}?token=x`, {}, undefined],
];

describe('edge hardening: what one customer can do to the others', () => {
  let bff: TestBff;
  let attacker: BffClient;
  let victim: BffClient;

  beforeAll(async () => {
    // The production breaker settings (5 consecutive failures open it), and rate limits out of the way: this is about
    // the breaker, not the limiter.
    bff = await startBff({ BREAKER_THRESHOLD: '5', RATE_LIMIT_API_PER_SESSION: '100000', RATE_LIMIT_API_PER_IP: '100000' });
    const [a, v] = await Promise.all([newBankCustomer(), newBankCustomer()]);
    await depositTo(v.accountId, '100.00');
    attacker = new BffClient(bff);
    victim = new BffClient(bff);
    expect((await attacker.signIn(a.cpf)).status).toBe(204);
    expect((await victim.signIn(v.cpf)).status).toBe(204);
  }, 90_000);
  afterAll(async () => {
    await bff?.close();
    await closeTestKit();
  });

  const breakers = () => Object.fromEntries(Object.entries(bff.rt.deps.upstreams).map(([name, pool]) => [name, pool.breakerState]));
  const headers = () => ({ 'x-csrf': '1', cookie: attacker.cookieHeader() });

  it('when a customer sends 100 requests with refused methods and 100 malformed ones, then every one is a 4xx problem, the breakers stay closed and another customer’s balance answers 200 throughout', async () => {
    const victimStatuses: number[] = [];
    const seen = new Set<number>();
    for (let i = 0; i < 100; i++) {
      const [method, path, allow] = REFUSED[i % REFUSED.length]!;
      const r = await send(`${bff.url}${path}`, method, headers());
      expect(r.status, `${method} ${path}: ${r.text}`).toBe(405);
      expect(r.headers.allow, `${method} ${path}`).toBe(allow);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(JSON.parse(r.text)).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED' });

      const [mMethod, mPath, mHeaders, body] = MALFORMED[i % MALFORMED.length]!;
      const m = await send(`${bff.url}${mPath}`, mMethod, { ...headers(), ...mHeaders }, body);
      expect(m.status, `${mMethod} ${mPath}: ${m.text}`).toBeGreaterThanOrEqual(400);
      expect(m.status, `${mMethod} ${mPath}: ${m.text}`).toBeLessThan(500);
      expect(m.headers['content-type'], `${mMethod} ${mPath}`).toContain('application/problem+json');
      seen.add(m.status);

      if (i % 5 === 0) {
        const balance = await victim.get('/api/v1/accounts/me/balance');
        victimStatuses.push(balance.status);
        expect(breakers()).toEqual({ payments: 'closed', onboarding: 'closed', notifications: 'closed' });
      }
    }
    expect(victimStatuses).toEqual(Array(20).fill(200));
    expect((await victim.get('/api/v1/accounts/me/balance')).body.available).toBe('100.00');
    expect(breakers()).toEqual({ payments: 'closed', onboarding: 'closed', notifications: 'closed' });
    // The malformed ones were refused for what they were, not all with one status.
    expect([...seen].sort()).toEqual(expect.arrayContaining([400, 403, 415, 422]));
  }, 120_000);

  it('when a PIX description holds a NUL, another control character or a lone surrogate, then 422 and no transfer is recorded', async () => {
    const before = (await attacker.get('/api/v1/pix/transfers')).body.items.length;
    for (const [i, description] of ['a\u0000b', 'linha\u0007', 'x\ud800y', '\udfff'].entries()) {
      const r = await attacker.post('/api/v1/pix/transfers', { key: '+5511987654321', amount: '1.00', description, pin: TEST_PIN }, { headers: { 'idempotency-key': `edge-desc-${Date.now()}-${i}` } });
      expect(r.status, r.text).toBe(422);
      expect(r.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field: 'description' })] });
    }
    expect((await attacker.get('/api/v1/pix/transfers')).body.items.length).toBe(before);
  });

  it('when PATCH /api/v1/customers/me comes without a body, with a non-JSON type or with an empty object, then a 4xx problem and the profile is unchanged', async () => {
    const a = newApplicant();
    expect((await register(ONBOARDING_URL, a)).body.status).toBe('ACTIVE');
    const c = new BffClient(bff);
    expect((await c.signIn(a.cpf, a.password)).status).toBe(204);
    const before = await c.get('/api/v1/customers/me');
    expect(before.status).toBe(200);

    const none = await send(`${bff.url}/api/v1/customers/me`, 'PATCH', { 'x-csrf': '1', cookie: c.cookieHeader() });
    expect(none.status, none.text).toBe(422);
    expect(JSON.parse(none.text)).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ code: 'NOTHING_TO_CHANGE' })] });
    const form = await send(`${bff.url}/api/v1/customers/me`, 'PATCH', { 'x-csrf': '1', cookie: c.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' }, 'email=x%40y.z');
    expect(form.status, form.text).toBe(415);
    const empty = await c.request('PATCH', '/api/v1/customers/me', { body: {} });
    expect(empty.status, empty.text).toBe(422);

    expect((await c.get('/api/v1/customers/me')).body).toEqual(before.body);
  }, 60_000);
});
