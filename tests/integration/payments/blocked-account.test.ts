// A blocked account (issue #19) is frozen for its customer beyond PIX: no new PIX key may point at it and its limits
// cannot be changed until an operator unblocks it (422 ACCOUNT_BLOCKED, in pt-BR), against the real stack.
import { operatorToken } from '@krt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addKey, call, newCustomer, setLimits, startPaymentsApi, type TestApi } from './payments-test-kit';

let api: TestApi;
let operator: string;

beforeAll(async () => {
  api = await startPaymentsApi();
  operator = await operatorToken('maker');
});
afterAll(async () => api?.close());

describe('Payments: a blocked account is frozen for its customer', () => {
  it('when the account is blocked, then registering a PIX key and changing limits answer 422 ACCOUNT_BLOCKED and change nothing; unblocked, both work', async () => {
    const carol = await newCustomer(api, { name: 'Carol Bloqueada' });
    await addKey(api, carol, 'EVP');
    const limitsBefore = (await call(api, carol.token, 'GET', '/v1/accounts/me/limits')).body;
    const blocked = await call(api, operator, 'POST', `/v1/admin/accounts/${carol.accountId}/block`, { reason: 'Suspeita de fraude' });
    expect(blocked.status, blocked.text).toBe(200);

    const key = await call(api, carol.token, 'POST', '/v1/pix/keys', { type: 'EVP' });
    expect(key.status).toBe(422);
    expect(key.body).toMatchObject({ code: 'ACCOUNT_BLOCKED', message: 'Conta bloqueada. Fale com a central de atendimento.' });
    expect((await call<{ items: unknown[] }>(api, carol.token, 'GET', '/v1/pix/keys')).body.items).toHaveLength(1);

    const limits = await setLimits(api, carol, { perTransaction: '1.00' });
    expect(limits.status).toBe(422);
    expect(limits.body.code).toBe('ACCOUNT_BLOCKED');
    expect((await call(api, carol.token, 'GET', '/v1/accounts/me/limits')).body).toEqual(limitsBefore);
    // Refused before the PIN is read: a wrong PIN on a blocked account is not counted against the customer.
    expect((await setLimits(api, carol, { perTransaction: '1.00', pin: '0000' })).body.code).toBe('ACCOUNT_BLOCKED');

    const unblocked = await call(api, operator, 'POST', `/v1/admin/accounts/${carol.accountId}/unblock`, { reason: 'Verificado com o cliente' });
    expect(unblocked.status, unblocked.text).toBe(200);
    expect((await call(api, carol.token, 'POST', '/v1/pix/keys', { type: 'EVP' })).status).toBe(201);
    const changed = await setLimits(api, carol, { perTransaction: '1.00' });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body.perTransaction).toBe('1.00');
  });
});
