import { randomUUID } from 'node:crypto';
import { shiftedClock } from '@krt/payments';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addKey, balanceOf, deposit, finalStatus, newCustomer, pix, saoPauloToday, startPaymentsApi, TEST_PIN, type Customer, type TestApi } from './payments-test-kit';

describe('PIX under concurrency: Idempotency-Key and the reserve', () => {
  let api: TestApi;
  let receiver: Customer;
  let receiverKey: string;

  beforeAll(async () => {
    api = await startPaymentsApi({ clock: shiftedClock(saoPauloToday(10)) });
    receiver = await newCustomer(api);
    receiverKey = await addKey(api, receiver);
  });
  afterAll(async () => api?.close());

  it('when 20 concurrent requests carry one Idempotency-Key, then exactly one transfer and one debit exist and all answers are the first one', async () => {
    const payer = await newCustomer(api);
    await deposit(api, payer.accountId, '100.00');
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 20 }, () => pix(api, payer, { key: receiverKey, amount: '30.00', description: 'uma vez só' }, key)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(202));
    const ids = new Set(answers.map((a) => a.body.id));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(19);
    const [id] = [...ids];
    expect((await finalStatus(api, payer, id!)).status).toBe('COMPLETED');

    const { rows: transfers } = await api.rt.pool.query('SELECT id FROM pix_transfers WHERE payer_account_id = $1', [payer.accountId]);
    expect(transfers).toHaveLength(1);
    const { rows: debits } = await api.rt.pool.query("SELECT amount FROM ledger_entries WHERE account_id = $1 AND direction = 'DEBIT'", [payer.accountId]);
    expect(debits).toEqual([{ amount: 3000n }]);
    expect(await balanceOf(api, payer)).toMatchObject({ available: '70.00', posted: '70.00' });

    // Same key, another body: refused, nothing new.
    const reused = await pix(api, payer, { key: receiverKey, amount: '31.00', description: 'uma vez só' }, key);
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(reused.body.message).toMatch(/já foi usada/);
    // Same key, same body, later: the first answer again.
    const again = await pix(api, payer, { key: receiverKey, amount: '30.00', description: 'uma vez só' }, key);
    expect(again.status).toBe(202);
    expect(again.body.id).toBe(id);
  });

  it('when the Idempotency-Key header is missing or malformed, then 400 with a code', async () => {
    const payer = await newCustomer(api);
    for (const header of [undefined, 'tem espaço', 'x'.repeat(129)]) {
      const r = await fetch(`${api.url}/v1/pix/transfers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${payer.token}`, 'content-type': 'application/json', ...(header ? { 'idempotency-key': header } : {}) },
        body: JSON.stringify({ key: receiverKey, amount: '1.00', pin: TEST_PIN }),
      });
      expect(r.status).toBe(400);
      expect(((await r.json()) as any).code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    }
  });

  it('when 50 concurrent PIX come from an account that can afford 10, then exactly 10 are accepted, the rest refused with "Saldo insuficiente", and the balance never goes below zero', async () => {
    const payer = await newCustomer(api);
    await deposit(api, payer.accountId, '100.00');
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => pix(api, payer, { key: receiverKey, amount: '10.00', description: `corrida ${i}` })));
    const accepted = answers.filter((a) => a.status === 202);
    const refused = answers.filter((a) => a.status !== 202);
    expect(accepted).toHaveLength(10);
    expect(refused).toHaveLength(40);
    for (const r of refused) {
      expect(r.status).toBe(422);
      expect(r.body).toMatchObject({ code: 'SALDO_INSUFICIENTE', message: 'Saldo insuficiente.' });
    }
    // Some may already be settled (the saga is fast); what matters is that nothing is left to spend.
    expect((await balanceOf(api, payer)).available).toBe('0.00');
    for (const a of accepted) expect((await finalStatus(api, payer, a.body.id)).status).toBe('COMPLETED');
    expect(await balanceOf(api, payer)).toMatchObject({ available: '0.00', posted: '0.00', reserved: '0.00' });
    const { rows } = await api.rt.pool.query<{ min: bigint }>('SELECT min(balance_after)::bigint AS min FROM ledger_entries WHERE account_id = $1', [payer.accountId]);
    expect(rows[0]!.min).toBe(0n);
  });
});
