import { fixedClock } from '@krt/payments';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addKey, balanceOf, call, deposit, finalStatus, newCustomer, pix, refund, saoPauloToday, startPaymentsApi, type Customer, type TestApi } from './payments-test-kit';

describe('PIX fraud path (Fraud consumer rejects, Payment consumer compensates)', () => {
  let api: TestApi;
  let payer: Customer;
  let friend: Customer;
  let stranger: Customer;

  beforeAll(async () => {
    // A fixed daytime instant: every transfer falls in the same 10-minute velocity window.
    api = await startPaymentsApi({ clock: fixedClock(saoPauloToday(15, 30)) });
    [payer, friend, stranger] = await Promise.all([newCustomer(api), newCustomer(api), newCustomer(api)]);
    await deposit(api, payer.accountId, '5000.00');
  });
  afterAll(async () => api?.close());

  it('when a 6th transfer in 10 minutes goes to a first-time recipient with a high amount, then it ends FAILED, the reserve is released and fraud.detected is published', async () => {
    const friendKey = await addKey(api, friend);
    const strangerKey = await addKey(api, stranger);
    // Five small payments to a friend: frequent, but tolerated on its own (ABNORMAL_FREQUENCY alone is below the threshold).
    const small = [];
    for (let i = 0; i < 5; i++) small.push((await pix(api, payer, { key: friendKey, amount: '1.00', description: `rateio ${i}` })).body.id);
    for (const id of small) expect((await finalStatus(api, payer, id)).status).toBe('COMPLETED');

    const big = await pix(api, payer, { key: strangerKey, amount: '1500.00', description: 'Compra de celular' });
    expect(big.status).toBe(202);
    // Right after the POST the amount is reserved (or, if the saga was quicker than this read, already released).
    const right = await balanceOf(api, payer);
    expect(right.reserved === '1500.00' ? right.available : 'released').toBe(right.reserved === '1500.00' ? '3495.00' : 'released');

    const done = await finalStatus(api, payer, big.body.id);
    expect(done.status).toBe('FAILED');
    expect(done.failureCode).toBe('FRAUD_SUSPECTED');
    expect(done.failureReason).toMatch(/análise de segurança/);
    expect(await balanceOf(api, payer)).toMatchObject({ available: '4995.00', posted: '4995.00', reserved: '0.00' });
    expect(await balanceOf(api, stranger)).toMatchObject({ posted: '0.00' });

    const { rows: ledger } = await api.rt.pool.query('SELECT 1 FROM ledger_entries WHERE transfer_id = $1', [big.body.id]);
    expect(ledger).toHaveLength(0);

    const { rows: events } = await api.rt.pool.query<{ topic: string; published: boolean; payload: any }>(
      "SELECT topic, published_at IS NOT NULL AS published, envelope->'payload' AS payload FROM outbox WHERE envelope->>'aggregateId' = $1 ORDER BY seq",
      [big.body.id],
    );
    expect(events.map((e) => e.topic)).toEqual(['pix.initiated', 'fraud.detected', 'pix.failed']);
    const detected = events[1]!;
    expect(detected.published).toBe(true);
    expect(detected.payload).toMatchObject({ transferId: big.body.id, decision: 'REJECTED', score: 70 });
    expect(detected.payload.reasons.sort()).toEqual(['ABNORMAL_FREQUENCY', 'UNKNOWN_RECIPIENT']);
    // The customer's text for notifications, and the machine code the saga metrics count it by.
    expect(events[2]!.payload).toMatchObject({ reason: done.failureReason, failureCode: 'FRAUD_SUSPECTED' });

    // The statement shows no trace of the refused transfer.
    const statement = await call(api, payer.token, 'GET', '/v1/accounts/me/statement?type=DEBIT');
    expect(statement.body.items.every((i: any) => i.transferId !== big.body.id)).toBe(true);
  });

  it('when a customer has just returned five PIX (devoluções), then their next high PIX to a first-time recipient is not taken for abnormal frequency', async () => {
    const [returner, sender, newcomer] = await Promise.all([newCustomer(api), newCustomer(api), newCustomer(api)]);
    await deposit(api, sender.accountId, '10.00');
    await deposit(api, returner.accountId, '2000.00');
    const returnerKey = await addKey(api, returner);
    const received = [];
    for (let i = 0; i < 5; i++) received.push((await pix(api, sender, { key: returnerKey, amount: '1.00', description: `engano ${i}` })).body.id);
    for (const id of received) expect((await finalStatus(api, sender, id)).status).toBe('COMPLETED');
    const returns = [];
    for (const id of received) {
      const r = await refund(api, returner, id, { amount: '1.00' });
      expect(r.status, r.text).toBe(202);
      returns.push(r.body.id);
    }
    for (const id of returns) expect((await finalStatus(api, returner, id)).status).toBe('COMPLETED');

    const big = await pix(api, returner, { key: await addKey(api, newcomer), amount: '1500.00', description: 'Primeira compra' });
    const done = await finalStatus(api, returner, big.body.id);
    expect(done.status).toBe('COMPLETED');
    const { rows } = await api.rt.pool.query<{ payload: any }>("SELECT envelope->'payload' AS payload FROM outbox WHERE envelope->>'aggregateId' = $1 AND topic = 'fraud.cleared'", [big.body.id]);
    expect(rows[0]!.payload.reasons).toEqual(['UNKNOWN_RECIPIENT']);
  });
});
