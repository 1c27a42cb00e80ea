// The back office at the BFF (issue #19): /api/v1/admin/* needs a session whose user has the operators' realm role
// (admin), checked by the BFF itself before anything is proxied; blocking an account signs its customer out at once;
// GET /api/v1/admin/audit merges the services' audit lists. Against the real stack: in-process BFF, Redis, Keycloak,
// the stack's payments, onboarding and notifications.
import { allowListedOperations } from '@krt/bff';
import { auditListSchema } from '@krt/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BffClient, browserSignIn, closeTestKit, newBankCustomer, newRealmCustomer, startBff, type TestBff } from './bff-test-kit';

let bff: TestBff;
let operator: BffClient;

beforeAll(async () => {
  bff = await startBff();
  operator = new BffClient(bff);
  await browserSignIn(operator, 'operador', 'Operador@2026', '/operacao');
});
afterAll(async () => {
  await bff?.close();
  await closeTestKit();
});

/** Every admin operation the BFF forwards, with a concrete path, plus the BFF's own audit list. */
const ADMIN_CALLS: Array<[string, string]> = [
  ...allowListedOperations()
    .filter((op) => op.template.startsWith('/v1/admin/'))
    .flatMap((op) => op.methods.map((m): [string, string] => [m, `/api${op.template.replace('{kind}', 'document').replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000')}`])),
  ['GET', '/api/v1/admin/audit'],
];

const signedInCustomer = async () => {
  const customer = await newRealmCustomer();
  const client = new BffClient(bff);
  expect((await client.signIn(customer.cpf)).status).toBe(204);
  return { customer, client };
};

describe('the back office at the BFF', () => {
  it('when the operator signs in through the code flow, then /auth/me says admin and the admin API answers', async () => {
    const me = await operator.get('/auth/me');
    expect(me.body).toMatchObject({ authenticated: true, roles: ['admin'], operator: { username: 'operador' } });
    expect(me.body.operator.id).toMatch(/^[0-9a-f-]{36}$/);
    const queue = await operator.get('/api/v1/admin/kyc/applications?status=PENDING_REVIEW&limit=5');
    expect(queue.status, queue.text).toBe(200);
    expect(Array.isArray(queue.body.items)).toBe(true);
  });

  it("when a customer's session calls any /api/v1/admin/* route, then the BFF itself answers 403 FORBIDDEN in pt-BR", async () => {
    expect(ADMIN_CALLS.length).toBeGreaterThanOrEqual(16);
    const { client } = await signedInCustomer();
    const sent = () => Object.values(bff.rt.deps.upstreams).reduce((n, u) => n + u.stats().replicas.reduce((m, r) => m + r.requests, 0), 0);
    const before = sent();
    for (const [method, path] of ADMIN_CALLS) {
      const res = await client.request(method, path, method === 'POST' ? { body: { reason: 'tentativa de cliente', accountId: 'x', amount: '10.00' } } : {});
      expect(res.status, `${method} ${path}: ${res.text}`).toBe(403);
      // The BFF's own words, not a service's: nothing was proxied.
      expect(res.body, `${method} ${path}`).toMatchObject({ code: 'FORBIDDEN', message: 'Esta área é restrita aos operadores do KRT Bank.' });
    }
    expect(sent(), 'no request reached any service').toBe(before);
    // A path the BFF does not forward stays a plain 404 (the old one-step deposit); the customer's own API still works.
    expect((await client.post('/api/v1/admin/deposits', { accountId: 'x', amount: '10.00' })).body.code).toBe('ROUTE_NOT_FOUND');
    expect((await client.get('/api/v1/sessions')).status).toBe(200);
  });

  it('when there is no session, then every admin route answers 401', async () => {
    const anonymous = new BffClient(bff);
    for (const [method, path] of ADMIN_CALLS) {
      const res = await anonymous.request(method, path, method === 'POST' ? { body: {} } : {});
      expect(res.status, `${method} ${path}`).toBe(401);
    }
  });

  it('when the customer of a blocked account has sessions, then the block through the BFF ends every one of them at once', async () => {
    const customer = await newBankCustomer();
    const laptop = new BffClient(bff);
    const phone = new BffClient(bff);
    expect((await laptop.signIn(customer.cpf)).status).toBe(204);
    expect((await phone.signIn(customer.cpf)).status).toBe(204);
    expect((await laptop.get('/api/v1/accounts/me')).status).toBe(200);

    const blocked = await operator.post(`/api/v1/admin/accounts/${customer.accountId}/block`, { reason: 'Suspeita de fraude (teste do BFF)' });
    expect(blocked.status, blocked.text).toBe(200);
    expect(blocked.body).toMatchObject({ accountId: customer.accountId, status: 'BLOCKED', sessionsEnded: 2 });
    for (const device of [laptop, phone]) expect((await device.get('/api/v1/accounts/me')).status).toBe(401);
    expect(await bff.rt.deps.sessions.peek(laptop.sessionId)).toBeUndefined();

    const unblocked = await operator.post(`/api/v1/admin/accounts/${customer.accountId}/unblock`, { reason: 'Fraude descartada (teste do BFF)' });
    expect(unblocked.status, unblocked.text).toBe(200);
    expect(unblocked.body).toMatchObject({ status: 'ACTIVE' });
    // Unblocking ends nothing; the customer signs in again and goes on.
    expect((await laptop.signIn(customer.cpf)).status).toBe(204);
    expect((await laptop.get('/api/v1/accounts/me')).status).toBe(200);
  });

  it('when a user is signed out everywhere by the BFF, then each of their sessions ends and only theirs', async () => {
    const a = await signedInCustomer();
    const second = new BffClient(bff);
    expect((await second.signIn(a.customer.cpf)).status).toBe(204);
    const other = await signedInCustomer();
    expect(await bff.rt.deps.sessions.endAllOfUser(a.customer.userId)).toBe(2);
    expect((await a.client.get('/api/v1/sessions')).status).toBe(401);
    expect((await second.get('/api/v1/sessions')).status).toBe(401);
    expect((await other.client.get('/api/v1/sessions')).status).toBe(200);
  });

  it("when the operator reads the audit, then the services' lists come as one, newest first, filters passed through", async () => {
    const res = await operator.get('/api/v1/admin/audit?limit=20');
    expect(res.status, res.text).toBe(200);
    expect(res.body.partial).toEqual([]);
    const { items } = auditListSchema.parse(res.body);
    expect(items.length).toBeGreaterThan(0);
    const times = items.map((i) => Date.parse(i.occurredAt));
    expect(times).toEqual([...times].sort((x, y) => y - x));
    // A filter reaches every service: only that action comes back.
    const action = items[0]!.action;
    const same = await operator.get(`/api/v1/admin/audit?limit=50&action=${encodeURIComponent(action)}`);
    expect(same.status, same.text).toBe(200);
    expect(same.body.items.length).toBeGreaterThan(0);
    expect(new Set(same.body.items.map((i: { action: string }) => i.action))).toEqual(new Set([action]));
    const onlyOnboarding = await operator.get('/api/v1/admin/audit?limit=50&service=onboarding');
    expect(onlyOnboarding.body.items.every((i: { service: string }) => i.service === 'onboarding')).toBe(true);

    // Paging: the cursor of a page of 1 gives the next item, older (or as old).
    const first = await operator.get('/api/v1/admin/audit?limit=1');
    const next = await operator.get(`/api/v1/admin/audit?limit=1&cursor=${first.body.nextCursor}`);
    expect(next.status, next.text).toBe(200);
    expect(Date.parse(next.body.items[0].occurredAt)).toBeLessThanOrEqual(Date.parse(first.body.items[0].occurredAt));

    for (const bad of ['limit=0', 'limit=abc', 'service=ledger', 'cursor=nao-e-cursor', 'cursor=', 'to=', 'from=ontem', 'actor=']) {
      const r = await operator.get(`/api/v1/admin/audit?${bad}`);
      expect(r.status, bad).toBe(422);
      expect(r.body.code).toBe('VALIDATION_FAILED');
    }
  });
});
