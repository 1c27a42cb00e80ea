import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordGrant } from '@krt/testing';
import { adminToken, addKey, call, deposit, finalStatus, newCustomer, pix, startPaymentsApi, type Customer, type TestApi } from './payments-test-kit';

describe('Payments security: JWT verification and ownership', () => {
  let api: TestApi;
  let alice: Customer;
  let bob: Customer;
  let aliceTransferId: string;

  beforeAll(async () => {
    api = await startPaymentsApi();
    [alice, bob] = await Promise.all([newCustomer(api), newCustomer(api)]);
    await deposit(api, alice.accountId, '50.00');
    const bobKey = await addKey(api, bob);
    const sent = await pix(api, alice, { key: bobKey, amount: '5.00', description: 'segredo da Alice' });
    aliceTransferId = sent.body.id;
    await finalStatus(api, alice, aliceTransferId);
  });
  afterAll(async () => api?.close());

  it('when there is no token, a malformed one, or a token whose signature was tampered with, then 401 UNAUTHENTICATED', async () => {
    const [header, payload] = alice.token.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), customer_id: bob.customerId })).toString('base64url');
    const forged = `${header}.${forgedPayload}.${alice.token.split('.')[2]}`;
    for (const token of [undefined, 'nao-e-um-jwt', forged]) {
      const r = await call(api, token, 'GET', '/v1/accounts/me/balance');
      expect(r.status).toBe(401);
      expect(r.body.code).toBe('UNAUTHENTICATED');
    }
  });

  it('when Bob asks for Alice’s transfer id, then 404 and none of its data; a random id is the same 404', async () => {
    const r = await call(api, bob.token, 'GET', `/v1/pix/transfers/${aliceTransferId}`);
    // Bob is the receiver of this one: he may see it. A third customer may not.
    expect(r.status).toBe(200);
    const carol = await newCustomer(api);
    const denied = await call(api, carol.token, 'GET', `/v1/pix/transfers/${aliceTransferId}`);
    expect(denied.status).toBe(404);
    expect(denied.body.code).toBe('TRANSFER_NOT_FOUND');
    expect(denied.text).not.toContain('segredo');
    expect(denied.text).not.toContain(alice.accountId);
    const unknown = await call(api, carol.token, 'GET', '/v1/pix/transfers/7d3f5a4e-1c2b-4d5e-8f90-123456789abc');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe(denied.body.code);
    expect((await call(api, carol.token, 'GET', '/v1/pix/transfers')).body.items).toEqual([]);
    expect((await call(api, carol.token, 'GET', '/v1/accounts/me/statement')).body.items).toEqual([]);
  });

  it('when a customer asks for a sandbox deposit (to another customer or to themself), then 403 and no money moves', async () => {
    for (const accountId of [alice.accountId, bob.accountId]) {
      const r = await call(api, bob.token, 'POST', '/v1/admin/deposit-requests', { accountId, amount: '1000.00', reason: 'quero saldo' });
      expect(r.status).toBe(403);
      expect(r.body.code).toBe('FORBIDDEN');
    }
    // The one-step deposit of old is gone, for operators too.
    expect((await call(api, await adminToken(), 'POST', '/v1/admin/deposits', { accountId: alice.accountId, amount: '1000.00' })).status).toBe(404);
    expect((await call(api, alice.token, 'GET', '/v1/accounts/me/balance')).body.posted).toBe('45.00');
  });

  it('when the operator (admin, no customer id) calls a customer endpoint, then 403 NOT_A_CUSTOMER; a deposit request for the bank’s own account is 404', async () => {
    const token = await adminToken();
    const me = await call(api, token, 'GET', '/v1/accounts/me');
    expect(me.status).toBe(403);
    expect(me.body.code).toBe('NOT_A_CUSTOMER');
    const r = await call(api, token, 'POST', '/v1/admin/deposit-requests', { accountId: '00000000-0000-4000-8000-000000000001', amount: '1.00', reason: 'caixa' });
    expect(r.status).toBe(404);
    expect(r.body.code).toBe('ACCOUNT_NOT_FOUND');
  });

  it('when a valid customer token has no ledger account yet, then 404 ACCOUNT_NOT_FOUND (not 500)', async () => {
    const { createRealmUser } = await import('@krt/testing');
    const { generateCpf } = await import('@krt/domain');
    const { randomInt, randomUUID } = await import('node:crypto');
    const cpf = generateCpf((n) => randomInt(n)).value;
    const customerId = randomUUID();
    await createRealmUser({ username: cpf, password: 'Krt#Teste2026', email: `semconta-${customerId.slice(0, 8)}@teste.krt.dev`, customerId });
    const { access_token } = await passwordGrant(cpf, 'Krt#Teste2026');
    for (const path of ['/v1/accounts/me', '/v1/accounts/me/balance', '/v1/accounts/me/statement', '/v1/pix/keys', '/v1/accounts/me/summary']) {
      const r = await call(api, access_token, 'GET', path);
      expect(r.status, path).toBe(404);
      expect(r.body.code).toBe('ACCOUNT_NOT_FOUND');
    }
  });

  it('when the OpenAPI document is fetched, then it lists the payments paths with bearer security', async () => {
    const r = await call(api, undefined, 'GET', '/openapi.json');
    expect(r.status).toBe(200);
    expect(Object.keys(r.body.paths)).toEqual(expect.arrayContaining(['/v1/pix/transfers', '/v1/accounts/me/statement', '/v1/admin/deposit-requests', '/v1/pix/keys/{id}']));
    expect(Object.keys(r.body.paths)).not.toContain('/v1/admin/deposits');
    expect(r.body.components.securitySchemes.bearer.scheme).toBe('bearer');
  });
});
