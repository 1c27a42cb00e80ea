// The gateway against the real payments, onboarding and notifications services: allow-listed proxy with the session's
// token, ownership enforced end to end, correlation id through to the upstream and back, body limits, dashboard
// fan-out with a stopped upstream, and the merged API description.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BffClient, closeTestKit, depositTo, newBankCustomer, startBff, TEST_PIN, type TestBff, type TestCustomer } from './bff-test-kit';
import { rawHttp } from '../security/fuzz-kit';

type BankCustomer = TestCustomer & { accountId: string };
let bff: TestBff;
let alice: BankCustomer;
let bob: BankCustomer;
let aliceClient: BffClient;
let bobClient: BffClient;

beforeAll(async () => {
  bff = await startBff();
  [alice, bob] = await Promise.all([newBankCustomer(), newBankCustomer()]);
  await depositTo(alice.accountId, '500.00');
  aliceClient = new BffClient(bff);
  bobClient = new BffClient(bff);
  expect((await aliceClient.signIn(alice.cpf)).status).toBe(204);
  expect((await bobClient.signIn(bob.cpf)).status).toBe(204);
});
afterAll(async () => {
  await bff?.close();
  await closeTestKit();
});

describe('proxy to the upstream services', () => {
  it("when a customer asks for their account and balance, then payments answers with their own data through the session's token", async () => {
    const me = await aliceClient.get('/api/v1/accounts/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ accountId: alice.accountId, customerId: alice.customerId });
    const balance = await aliceClient.get('/api/v1/accounts/me/balance');
    expect(balance.status).toBe(200);
    expect(balance.body).toMatchObject({ available: '500.00', currency: 'BRL' });
  });

  it("when a customer asks for another customer's transfer, then it is not found (403/404), while the owner sees it", async () => {
    const key = await bobClient.post('/api/v1/pix/keys', { type: 'EVP' });
    expect(key.status).toBe(201);
    const sent = await aliceClient.post('/api/v1/pix/transfers', { key: key.body.value, amount: '12.34', description: 'Teste BFF', pin: TEST_PIN }, { headers: { 'idempotency-key': randomUUID() } });
    expect(sent.status).toBe(202);
    const transferId = sent.body.id as string;

    const own = await aliceClient.get(`/api/v1/pix/transfers/${transferId}`);
    expect(own.status).toBe(200);
    expect(own.body.id).toBe(transferId);

    const stranger = new BffClient(bff);
    const carol = await newBankCustomer();
    await stranger.signIn(carol.cpf);
    const foreign = await stranger.get(`/api/v1/pix/transfers/${transferId}`);
    expect([403, 404]).toContain(foreign.status);
    expect(foreign.text).not.toContain(alice.accountId);

    // An operator-only route is refused for a customer.
    const deposit = await stranger.post('/api/v1/admin/deposit-requests', { accountId: carol.accountId, amount: '1000.00', reason: 'eu mesmo' });
    expect(deposit.status).toBe(403);
    // The one-step deposit of old is gone: not even forwarded.
    expect((await stranger.post('/api/v1/admin/deposits', { accountId: carol.accountId, amount: '1000.00' })).status).toBe(404);
  });

  it('when the same Idempotency-Key is sent twice, then it reaches payments both times and the same transfer comes back', async () => {
    const key = await bobClient.post('/api/v1/pix/keys', { type: 'EVP' });
    const idem = randomUUID();
    const a = await aliceClient.post('/api/v1/pix/transfers', { key: key.body.value, amount: '1.00', pin: TEST_PIN }, { headers: { 'idempotency-key': idem } });
    const b = await aliceClient.post('/api/v1/pix/transfers', { key: key.body.value, amount: '1.00', pin: TEST_PIN }, { headers: { 'idempotency-key': idem } });
    expect(a.status).toBe(202);
    expect(b.body.id).toBe(a.body.id);
  });

  it('when a call carries X-Correlation-Id, then the upstream sees it and it comes back; without one, the BFF creates one', async () => {
    const id = `bff-test-${randomUUID()}`;
    const res = await aliceClient.get(`/api/v1/pix/transfers/${randomUUID()}`, { headers: { 'x-correlation-id': id } });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-correlation-id')).toBe(id);
    expect(res.body.correlationId).toBe(id); // written by payments: the id reached the upstream
    const fresh = await aliceClient.get('/api/v1/accounts/me');
    expect(fresh.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when a path is not on the allow-list, then 404 without reaching any upstream; without a session, 401', async () => {
    for (const path of ['/api/v1/admin/ledger', '/api/v1/accounts/%2e%2e/admin', '/api/internal', '/api/v1/health']) {
      const res = await aliceClient.get(path);
      expect(res.status, path).toBe(404);
      expect(res.body.code, path).toBe('ROUTE_NOT_FOUND');
    }
    expect((await new BffClient(bff).get('/api/v1/accounts/me')).status).toBe(401);
  });

  it('when the body is larger than the limit, then 413 before anything is forwarded', async () => {
    const res = await aliceClient.request('POST', '/api/v1/pix/keys', { raw: JSON.stringify({ type: 'EVP', pad: 'x'.repeat(70 * 1024) }), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('when a body over the limit comes on a keep-alive connection, then the 413 says Connection: close and the BFF closes it (the unread rest is never parsed as a request)', async () => {
    const pad = JSON.stringify({ type: 'EVP', pad: 'x'.repeat(100_000) });
    const res = await rawHttp(
      bff.server.port,
      `POST /api/v1/pix/keys HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nX-CSRF: 1\r\nCookie: ${aliceClient.cookieHeader()}\r\nContent-Length: ${pad.length}\r\nConnection: keep-alive\r\n\r\n`,
      pad,
    );
    expect(res.status).toBe(413);
    expect(res.raw.split('\r\n\r\n')[0]!.toLowerCase()).toContain('connection: close');
    expect(res.timedOut).toBe(false);
  });

  it('when a registration is posted without a session, then it is forwarded to onboarding (a public route) and still needs X-CSRF', async () => {
    const anon = new BffClient(bff);
    const form = new FormData();
    form.set('fullName', 'X');
    const res = await anon.request('POST', '/api/v1/registrations', { raw: form });
    expect(res.status).not.toBe(401);
    expect(res.status).toBeLessThan(500);
    expect((await anon.request('POST', '/api/v1/registrations', { raw: new FormData(), csrf: false })).status).toBe(403);
  });
});

describe('dashboard fan-out', () => {
  it('when every upstream answers, then balance, recent transactions, month in/out, categories, series and unread notifications come back together', async () => {
    const res = await aliceClient.get('/api/v1/dashboard');
    expect(res.status).toBe(200);
    expect(res.body.balance).toMatchObject({ currency: 'BRL' });
    expect(Array.isArray(res.body.recent)).toBe(true);
    expect(res.body.recent.length).toBeGreaterThan(0);
    expect(res.body.monthInOut).toMatchObject({ in: expect.stringMatching(/^\d+\.\d{2}$/), out: expect.stringMatching(/^\d+\.\d{2}$/) });
    expect(Array.isArray(res.body.balanceSeries)).toBe(true);
    expect(Array.isArray(res.body.spendingByCategory)).toBe(true);
    expect(res.body.partial).not.toContain('balance');
    expect(res.body.partial).not.toContain('recent');
  });

  it('when onboarding and notifications are stopped, then balance and transactions still come back and the missing parts are named', async () => {
    // Nothing listens on these ports: the same answer a stopped process gives (connection refused).
    const degraded = await startBff({ ONBOARDING_URLS: 'http://127.0.0.1:5991', NOTIFICATIONS_URLS: 'http://127.0.0.1:5993' });
    try {
      const client = new BffClient(degraded);
      await client.signIn(alice.cpf);
      const started = Date.now();
      const res = await client.get('/api/v1/dashboard');
      expect(res.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(res.body.balance).toMatchObject({ currency: 'BRL' });
      expect(res.body.recent.length).toBeGreaterThan(0);
      expect(res.body.customer).toBeNull();
      expect(res.body.unreadNotifications).toBeNull();
      expect(res.body.partial.sort()).toEqual(['customer', 'unreadNotifications']);
    } finally {
      await degraded.close();
    }
  });
});

describe('API description', () => {
  it('when /api/docs is read, then it has the BFF routes and the services\' routes under /api', async () => {
    const res = await new BffClient(bff).get('/api/docs', { csrf: false });
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    for (const p of ['/auth/session', '/auth/me', '/api/v1/dashboard', '/api/v1/events', '/api/v1/accounts/me', '/api/v1/pix/transfers']) {
      expect(res.body.paths[p], p).toBeDefined();
    }
  });
});
