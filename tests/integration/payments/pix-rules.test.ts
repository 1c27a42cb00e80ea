import { fixedClock, shiftedClock } from '@krt/payments';
import { generateCpf } from '@krt/domain';
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addKey, call, deposit, newCustomer, pix, saoPauloToday, setLimits, startPaymentsApi, TEST_PIN, type Customer, type TestApi } from './payments-test-kit';

/** Every refusal is a 4xx problem with a machine-readable code and a Portuguese message, never a 500. */
function expectProblem(r: { status: number; body: any }, status: number, code: string) {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.body.code).toBe(code);
  expect(typeof r.body.message).toBe('string');
  expect(r.body.message.length).toBeGreaterThan(5);
}
const fieldCodes = (r: { body: any }) => (r.body.errors ?? []).map((e: any) => `${e.field}:${e.code}`);

describe('PIX limits (BACEN night limit with a fixed clock, per day, per transaction)', () => {
  let night: TestApi;
  let day: TestApi;
  let receiver: Customer;
  let receiverKey: string;

  beforeAll(async () => {
    night = await startPaymentsApi({ clock: fixedClock(saoPauloToday(23)) });
    day = await startPaymentsApi({ clock: shiftedClock(saoPauloToday(11)) });
    receiver = await newCustomer(day);
    receiverKey = await addKey(day, receiver);
  });
  afterAll(async () => {
    await night?.close();
    await day?.close();
  });

  it('when it is 23:00 in São Paulo and the night total would pass R$ 1.000,00, then 422 LIMIT_NIGHT_EXCEEDED; up to exactly R$ 1.000,00 is accepted', async () => {
    const payer = await newCustomer(night);
    await deposit(night, payer.accountId, '3000.00');
    expect((await pix(night, payer, { key: receiverKey, amount: '600.00' })).status).toBe(202);
    const refused = await pix(night, payer, { key: receiverKey, amount: '400.01' });
    expectProblem(refused, 422, 'LIMIT_NIGHT_EXCEEDED');
    expect(refused.body.message).toContain('R$');
    expect(refused.body.message).toMatch(/noturno/);
    expect((await pix(night, payer, { key: receiverKey, amount: '400.00' })).status).toBe(202);
    expectProblem(await pix(night, payer, { key: receiverKey, amount: '0.01' }), 422, 'LIMIT_NIGHT_EXCEEDED');
  });

  it('when the night window crosses midnight, then 02:00 still counts what was sent at 23:00, while the daily total starts again at 00:00', async () => {
    const afterMidnight = await startPaymentsApi({ clock: fixedClock(new Date(saoPauloToday(23).getTime() + 3 * 3_600_000)) });
    try {
      const payer = await newCustomer(night);
      await deposit(night, payer.accountId, '3000.00');
      await night.rt.pool.query('INSERT INTO pix_limits (account_id, per_transaction, daily, nightly) VALUES ($1, 90000, 90000, 100000)', [payer.accountId]); // daily R$ 900: counting 23:00 as today would refuse the 300
      expect((await pix(night, payer, { key: receiverKey, amount: '700.00' })).status).toBe(202);
      // 02:00 next day: R$ 300 left of the night limit, although the day's total is back to zero.
      expectProblem(await pix(afterMidnight, payer, { key: receiverKey, amount: '300.01' }), 422, 'LIMIT_NIGHT_EXCEEDED');
      expect((await pix(afterMidnight, payer, { key: receiverKey, amount: '300.00' })).status).toBe(202);
    } finally {
      await afterMidnight.close();
    }
  });

  it('when the customer lowered the daily limit, then a transfer over what is left today gets 422 LIMIT_DAILY_EXCEEDED', async () => {
    const payer = await newCustomer(day);
    await deposit(day, payer.accountId, '3000.00');
    const lowered = await setLimits(day, payer, { daily: '500.00', perTransaction: '300.00', night: '200.00' });
    expect(lowered.status).toBe(200);
    expect(lowered.body).toMatchObject({ daily: '500.00', perTransaction: '300.00', night: '200.00', nightWindow: { start: '20:00', end: '06:00' } });
    expect((await call(day, payer.token, 'GET', '/v1/accounts/me/limits')).body).toMatchObject({ daily: '500.00', maxima: { daily: '20000.00', night: '1000.00' } });
    expectProblem(await setLimits(day, payer, { daily: '20000.01' }), 422, 'LIMIT_ABOVE_DEFAULT');
    expectProblem(await setLimits(day, payer, { night: '600.00' }), 422, 'LIMIT_INCONSISTENT');

    expectProblem(await pix(day, payer, { key: receiverKey, amount: '300.01' }), 422, 'LIMIT_PER_TRANSACTION_EXCEEDED');
    expect((await pix(day, payer, { key: receiverKey, amount: '300.00' })).status).toBe(202);
    expect((await pix(day, payer, { key: receiverKey, amount: '150.00' })).status).toBe(202);
    const refused = await pix(day, payer, { key: receiverKey, amount: '50.01' });
    expectProblem(refused, 422, 'LIMIT_DAILY_EXCEEDED');
    expect(refused.body.message).toContain('50,00');
  });

  it('when the default per-transaction limit (R$ 5.000,00) is passed, then 422 LIMIT_PER_TRANSACTION_EXCEEDED', async () => {
    const payer = await newCustomer(day);
    await deposit(day, payer.accountId, '9000.00');
    expectProblem(await pix(day, payer, { key: receiverKey, amount: '5000.01' }), 422, 'LIMIT_PER_TRANSACTION_EXCEEDED');
  });
});

describe('PIX request validation and recipient rules', () => {
  let api: TestApi;
  let payer: Customer;
  let receiverKey: string;

  beforeAll(async () => {
    api = await startPaymentsApi({ clock: shiftedClock(saoPauloToday(12)) });
    payer = await newCustomer(api);
    const receiver = await newCustomer(api);
    receiverKey = await addKey(api, receiver);
    await deposit(api, payer.accountId, '100.00');
  });
  afterAll(async () => api?.close());

  it('when the amount is zero, negative, has 3 decimals, is not a number or is missing, then 422 VALIDATION_FAILED on amount', async () => {
    for (const amount of ['0.00', '-5.00', '10.001', 'dez', '1e3', '10,00']) {
      const r = await pix(api, payer, { key: receiverKey, amount });
      expectProblem(r, 422, 'VALIDATION_FAILED');
      expect(r.body.errors[0].field).toBe('amount');
    }
    expect(fieldCodes(await pix(api, payer, { key: receiverKey, amount: '10.001' }))).toEqual(['amount:MONEY_TOO_MANY_DECIMALS']);
    expect(fieldCodes(await pix(api, payer, { key: receiverKey, amount: '0.00' }))).toEqual(['amount:AMOUNT_NOT_POSITIVE']);
    expect(fieldCodes(await call(api, payer.token, 'POST', '/v1/pix/transfers', { key: receiverKey, pin: TEST_PIN }, { 'idempotency-key': 'k-missing-amount' }))).toEqual([
      expect.stringMatching(/^amount:/),
    ]);
  });

  it('when the description has 141 characters, then 422 on description; 140 is accepted', async () => {
    const r = await pix(api, payer, { key: receiverKey, amount: '1.00', description: 'x'.repeat(141) });
    expectProblem(r, 422, 'VALIDATION_FAILED');
    expect(r.body.errors[0]).toMatchObject({ field: 'description', code: 'DESCRIPTION_TOO_LONG', message: 'A descrição deve ter no máximo 140 caracteres.' });
    expect((await pix(api, payer, { key: receiverKey, amount: '1.00', description: 'é'.repeat(140) })).status).toBe(202);
  });

  it('when the key is unknown, malformed or the payer’s own, then 404 PIX_KEY_NOT_FOUND / 422 PIX_KEY_INVALID / 422 SELF_TRANSFER', async () => {
    expectProblem(await pix(api, payer, { key: 'ninguem.aqui@teste.krt.dev', amount: '1.00' }), 404, 'PIX_KEY_NOT_FOUND');
    expectProblem(await call(api, payer.token, 'GET', '/v1/pix/keys/resolve?key=ninguem.aqui%40teste.krt.dev'), 404, 'PIX_KEY_NOT_FOUND');
    expectProblem(await pix(api, payer, { key: 'isto não é chave', amount: '1.00' }), 422, 'PIX_KEY_TYPE_UNKNOWN');
    expectProblem(await pix(api, payer, { key: '123.456.789-00', amount: '1.00' }), 422, 'PIX_KEY_INVALID');
    const own = await addKey(api, payer);
    expectProblem(await pix(api, payer, { key: own, amount: '1.00' }), 422, 'SELF_TRANSFER');
  });

  it('when the body has unknown fields or is not JSON, then 4xx with a code, never 500', async () => {
    const extra = await call(api, payer.token, 'POST', '/v1/pix/transfers', { key: receiverKey, amount: '1.00', pin: TEST_PIN, payer: 'x' }, { 'idempotency-key': 'k-extra' });
    expectProblem(extra, 422, 'VALIDATION_FAILED');
    const res = await fetch(`${api.url}/v1/pix/transfers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${payer.token}`, 'content-type': 'application/json', 'idempotency-key': 'k-bad-json' },
      body: '{"key": ',
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(((await res.json()) as any).code).toBeTruthy();
  });
});

describe('PIX keys (DICT rules)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startPaymentsApi();
  });
  afterAll(async () => api?.close());

  it('when a customer registers CPF (own), e-mail, phone and EVP keys, then they are listed normalised; a 6th key is refused with PIX_KEY_LIMIT_REACHED', async () => {
    const c = await newCustomer(api);
    const phone = `+5511${String(900000000 + randomInt(99999999))}`;
    const created = [
      await call(api, c.token, 'POST', '/v1/pix/keys', { type: 'CPF', value: c.cpf.replace(/^(\d{3})(\d{3})(\d{3})(\d{2})$/, '$1.$2.$3-$4') }),
      await call(api, c.token, 'POST', '/v1/pix/keys', { type: 'EMAIL', value: `Chave.${c.customerId.slice(0, 8)}@Teste.KRT.dev` }),
      await call(api, c.token, 'POST', '/v1/pix/keys', { type: 'PHONE', value: phone }),
      await call(api, c.token, 'POST', '/v1/pix/keys', { type: 'EVP' }),
      await call(api, c.token, 'POST', '/v1/pix/keys', { type: 'EVP' }),
    ];
    expect(created.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(created[0]!.body.value).toBe(c.cpf);
    expect(created[1]!.body.value).toBe(`chave.${c.customerId.slice(0, 8)}@teste.krt.dev`);
    expect(created[2]!.body.value).toBe(phone);
    expect(created[3]!.body.value).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    const sixth = await call(api, c.token, 'POST', '/v1/pix/keys', { type: 'EVP' });
    expectProblem(sixth, 422, 'PIX_KEY_LIMIT_REACHED');
    expect(sixth.body.message).toMatch(/5 chaves/);

    const list = await call(api, c.token, 'GET', '/v1/pix/keys');
    expect(list.body.max).toBe(5);
    expect(list.body.items.map((k: any) => k.type)).toEqual(['CPF', 'EMAIL', 'PHONE', 'EVP', 'EVP']);

    // Deleting one frees a slot.
    expect((await call(api, c.token, 'DELETE', `/v1/pix/keys/${created[4]!.body.id}`)).status).toBe(204);
    expect((await call(api, c.token, 'POST', '/v1/pix/keys', { type: 'EVP' })).status).toBe(201);
  });

  it('when a CPF key is not the holder’s CPF, then 422 CPF_KEY_NOT_HOLDER; an invalid CPF is 422 PIX_KEY_INVALID', async () => {
    const c = await newCustomer(api);
    expectProblem(await call(api, c.token, 'POST', '/v1/pix/keys', { type: 'CPF', value: generateCpf((n) => randomInt(n)).value }), 422, 'CPF_KEY_NOT_HOLDER');
    expectProblem(await call(api, c.token, 'POST', '/v1/pix/keys', { type: 'CPF', value: '12345678900' }), 422, 'PIX_KEY_INVALID');
  });

  it('when an e-mail or phone is invalid, an EVP carries a value, or the type is unknown, then 422 with a code', async () => {
    const c = await newCustomer(api);
    const bad = [
      [{ type: 'EMAIL', value: 'sem-arroba' }, 'PIX_KEY_INVALID'],
      [{ type: 'EMAIL', value: `${'a'.repeat(70)}@teste.dev` }, 'PIX_KEY_INVALID'],
      [{ type: 'PHONE', value: '+1 202 555 0100' }, 'PIX_KEY_INVALID'],
      [{ type: 'PHONE', value: '+5500912345678' }, 'PIX_KEY_INVALID'],
      [{ type: 'EVP', value: '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d' }, 'EVP_VALUE_NOT_ALLOWED'],
      [{ type: 'CNPJ', value: '11222333000181' }, 'VALIDATION_FAILED'],
      [{ type: 'EMAIL' }, 'VALIDATION_FAILED'],
    ] as const;
    for (const [body, code] of bad) expectProblem(await call(api, c.token, 'POST', '/v1/pix/keys', body), 422, code);
  });

  it('when a key already belongs to another account, then 409 PIX_KEY_ALREADY_EXISTS; another customer cannot delete my key', async () => {
    const a = await newCustomer(api);
    const b = await newCustomer(api);
    const email = `dupla.${a.customerId.slice(0, 8)}@teste.krt.dev`;
    const created = await call(api, a.token, 'POST', '/v1/pix/keys', { type: 'EMAIL', value: email });
    expect(created.status).toBe(201);
    expectProblem(await call(api, b.token, 'POST', '/v1/pix/keys', { type: 'EMAIL', value: email }), 409, 'PIX_KEY_ALREADY_EXISTS');
    expectProblem(await call(api, b.token, 'DELETE', `/v1/pix/keys/${created.body.id}`), 404, 'PIX_KEY_NOT_FOUND');
    expect((await call(api, a.token, 'GET', '/v1/pix/keys')).body.items).toHaveLength(1);
  });
});
