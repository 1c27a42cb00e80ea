// Attacker's checklist — object-level and function-level authorisation, through the BFF as a browser would:
// Bob (a signed-in customer) tries every resource id of Alice's he can learn or guess (transfers, PIX keys,
// notifications, accounts, KYC images) and every admin endpoint. Each attempt must fail without leaking Alice's data,
// and Alice's resources must be unchanged afterwards.
import { eventually } from '@krt/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BffClient, closeTestKit, depositTo, newBankCustomer, startBff, TEST_PIN, type TestBff } from '../bff/bff-test-kit';

let bff: TestBff;
let alice: Awaited<ReturnType<typeof newBankCustomer>>;
let bob: Awaited<ReturnType<typeof newBankCustomer>>;
const asAlice = () => aliceClient;
let aliceClient: BffClient;
let bobClient: BffClient;
let aliceTransferId: string;
let aliceKeyId: string;
let aliceNotificationId: string;

/** Nothing of Alice's may appear in an answer Bob gets. */
function expectNoTraceOfAlice(text: string) {
  for (const secret of [alice.accountId, alice.customerId, alice.cpf, alice.fullName, aliceTransferId, aliceKeyId]) {
    if (secret) expect(text.includes(secret), `leaked ${secret}`).toBe(false);
  }
}

beforeAll(async () => {
  bff = await startBff({ RATE_LIMIT_API_PER_SESSION: '100000', RATE_LIMIT_API_PER_IP: '100000' });
  let carol: Awaited<ReturnType<typeof newBankCustomer>>;
  [alice, bob, carol] = await Promise.all([newBankCustomer(), newBankCustomer(), newBankCustomer()]);
  await depositTo(alice.accountId, '100.00');
  aliceClient = new BffClient(bff);
  bobClient = new BffClient(bff);
  expect((await aliceClient.signIn(alice.cpf)).status).toBe(204);
  expect((await bobClient.signIn(bob.cpf)).status).toBe(204);
  // Carol receives Alice's PIX; Bob is a bystander who only learns (or guesses) Alice's ids.
  const carolClient = new BffClient(bff);
  expect((await carolClient.signIn(carol.cpf)).status).toBe(204);
  const carolKey = await carolClient.post<{ value: string }>('/api/v1/pix/keys', { type: 'EVP' });
  const aliceKey = await asAlice().post<{ id: string }>('/api/v1/pix/keys', { type: 'EVP' });
  expect(aliceKey.status).toBe(201);
  aliceKeyId = aliceKey.body.id;
  const t = await asAlice().post<{ id: string }>('/api/v1/pix/transfers', { key: carolKey.body.value, amount: '7.31', description: 'Segredo da Alice', pin: TEST_PIN }, { headers: { 'idempotency-key': randomUUID() } });
  expect(t.status).toBe(202);
  aliceTransferId = t.body.id;
  // Alice's welcome notification (account.created → notification consumer → worker).
  aliceNotificationId = await eventually(
    async () => {
      const r = await asAlice().get<{ items: Array<{ id: string; readAt?: string | null }> }>('/api/v1/notifications');
      return r.status === 200 ? r.body.items.find((n) => !n.readAt)?.id : undefined;
    },
    { timeoutMs: 30_000, what: "Alice's first notification" },
  );
});
afterAll(async () => {
  await bff?.close();
  await closeTestKit();
});

describe('IDOR: every resource id of another customer', () => {
  it("when Bob asks for Alice's transfer by id, then 404 with none of its data, and his own list does not show it as his outgoing transfer", async () => {
    const r = await bobClient.get(`/api/v1/pix/transfers/${aliceTransferId}`);
    expect(r.status).toBe(404);
    expectNoTraceOfAlice(r.text);
    const random = await bobClient.get(`/api/v1/pix/transfers/${randomUUID()}`);
    expect(random.status).toBe(404);
    expect(random.body.code).toBe(r.body.code); // an existing id and a random one are indistinguishable
    const list = await bobClient.get<{ items: Array<{ id: string }> }>('/api/v1/pix/transfers');
    expect(list.status).toBe(200);
    expect(list.body.items.map((i) => i.id)).not.toContain(aliceTransferId);
    // Alice still sees it.
    expect((await asAlice().get(`/api/v1/pix/transfers/${aliceTransferId}`)).status).toBe(200);
  });

  it("when Bob deletes Alice's PIX key by id, then 404 and the key is still Alice's", async () => {
    const r = await bobClient.request('DELETE', `/api/v1/pix/keys/${aliceKeyId}`);
    expect(r.status).toBe(404);
    expectNoTraceOfAlice(r.text);
    const keys = await asAlice().get<{ items: Array<{ id: string }> }>('/api/v1/pix/keys');
    expect(keys.body.items.map((k) => k.id)).toContain(aliceKeyId);
    const bobKeys = await bobClient.get<{ items: Array<{ id: string }> }>('/api/v1/pix/keys');
    expect(bobKeys.body.items.map((k) => k.id)).not.toContain(aliceKeyId);
  });

  it("when Bob marks Alice's notification as read by id, then 404 and it stays unread for Alice; his list never shows it", async () => {
    const r = await bobClient.post(`/api/v1/notifications/${aliceNotificationId}/read`);
    expect(r.status).toBe(404);
    expect((await bobClient.post('/api/v1/notifications/read-all')).status).toBe(204);
    const mine = await asAlice().get<{ items: Array<{ id: string; readAt?: string | null }> }>('/api/v1/notifications');
    expect(mine.body.items.find((n) => n.id === aliceNotificationId)?.readAt ?? null).toBeNull();
    const bobs = await bobClient.get<{ items: Array<{ id: string }> }>('/api/v1/notifications?limit=100');
    expect(bobs.body.items.map((n) => n.id)).not.toContain(aliceNotificationId);
  });

  it("when Bob puts Alice's account or customer id into the path, the query or the body, then he only ever gets his own account or nothing", async () => {
    for (const path of [
      `/api/v1/accounts/${alice.accountId}/balance`,
      `/api/v1/accounts/${alice.accountId}`,
      `/api/v1/accounts/me/../${alice.accountId}/statement`,
      `/api/v1/customers/${alice.customerId}`,
    ]) {
      const r = await bobClient.get(path);
      expect([401, 403, 404], path).toContain(r.status);
      expectNoTraceOfAlice(r.text);
    }
    for (const path of [
      `/api/v1/accounts/me/balance?accountId=${alice.accountId}`,
      `/api/v1/accounts/me/statement?accountId=${alice.accountId}&customerId=${alice.customerId}`,
      `/api/v1/accounts/me?customer_id=${alice.customerId}`,
    ]) {
      const r = await bobClient.get(path);
      expect([200, 422], path).toContain(r.status);
      expectNoTraceOfAlice(r.text);
      if (r.status === 200 && r.body.accountId) expect(r.body.accountId).toBe(bob.accountId);
    }
    // A PIX "from" Alice's account, smuggled in the body, still debits Bob (who has no money: refused).
    const smuggled = await bobClient.post('/api/v1/pix/transfers', { key: aliceKeyId, amount: '1.00', pin: TEST_PIN, accountId: alice.accountId, payer: alice.accountId }, { headers: { 'idempotency-key': randomUUID() } });
    expect(smuggled.status).toBeGreaterThanOrEqual(400);
    expect(smuggled.status).toBeLessThan(500);
    expect(smuggled.body.code, 'refused for the smuggled fields, not for the transaction PIN').not.toMatch(/^PIN_/);
    // Alice's money moved exactly once: R$ 100,00 − R$ 7,31 to Carol, nothing to or for Bob.
    await eventually(
      async () => {
        const b = await asAlice().get<{ posted: string; reserved: string }>('/api/v1/accounts/me/balance');
        return b.body.posted === '92.69' && b.body.reserved === '0.00';
      },
      { timeoutMs: 30_000, what: "Alice's balance after her one PIX" },
    );
  });

  it("when Bob asks for KYC images, then only his own route exists (404 without a profile), and the admin image route of any application is refused", async () => {
    for (const kind of ['document', 'selfie']) {
      const r = await bobClient.get(`/api/v1/customers/me/documents/${kind}`);
      expect(r.status).toBe(404);
      expectNoTraceOfAlice(r.text);
    }
    const admin = await bobClient.get(`/api/v1/admin/kyc/applications/${randomUUID()}/documents/selfie`);
    expect(admin.status).toBe(403);
  });
});

describe('admin endpoints with a customer session', () => {
  it('when a customer calls every admin endpoint through the BFF, then 403 every time and no money moves', async () => {
    const before = (await bobClient.get<{ posted: string }>('/api/v1/accounts/me/balance')).body.posted;
    const calls: Array<[string, string, unknown?]> = [
      ['POST', '/api/v1/admin/deposit-requests', { accountId: bob.accountId, amount: '1000000.00', description: 'eu mesmo', reason: 'eu mesmo' }],
      ['GET', '/api/v1/admin/deposit-requests?status=PENDING'],
      ['POST', `/api/v1/admin/deposit-requests/${randomUUID()}/approve`, {}],
      ['POST', `/api/v1/admin/deposit-requests/${randomUUID()}/reject`, { reason: 'não' }],
      ['GET', `/api/v1/admin/accounts?accountId=${alice.accountId}`],
      ['POST', `/api/v1/admin/accounts/${alice.accountId}/block`, { reason: 'bloqueio indevido' }],
      ['POST', `/api/v1/admin/accounts/${bob.accountId}/unblock`, { reason: 'desbloqueio indevido' }],
      ['GET', '/api/v1/admin/audit'],
      ['GET', '/api/v1/admin/kyc/applications?status=PENDING_REVIEW'],
      ['POST', `/api/v1/admin/kyc/applications/${randomUUID()}/approve`, { reason: 'ok' }],
      ['POST', `/api/v1/admin/kyc/applications/${randomUUID()}/reject`, { reason: 'não' }],
      ['GET', `/api/v1/admin/kyc/applications/${randomUUID()}/documents/document`],
    ];
    for (const [method, path, body] of calls) {
      const r = await bobClient.request(method, path, body === undefined ? {} : { body });
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await bobClient.get<{ posted: string }>('/api/v1/accounts/me/balance')).body.posted).toBe(before);
  });
});
