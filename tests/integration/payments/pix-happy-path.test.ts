import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shiftedClock } from '@krt/payments';
import { addKey, balanceOf, call, closeProducer, deposit, finalStatus, ledgerTotals, newCustomer, pix, saoPauloToday, startPaymentsApi, type Customer, type TestApi } from './payments-test-kit';

describe('PIX happy path through Kafka (account consumer → deposit → key → transfer → fraud → settlement → reads)', () => {
  let api: TestApi;
  let payer: Customer;
  let receiver: Customer;

  beforeAll(async () => {
    // Daytime in São Paulo, so neither the night limit nor the atypical-hour rule plays a part.
    api = await startPaymentsApi({ clock: shiftedClock(saoPauloToday(14)) });
    [payer, receiver] = await Promise.all([
      newCustomer(api, { viaKafka: true, name: 'Maria da Silva Souza' }),
      newCustomer(api, { viaKafka: true, name: 'João Pereira Santos' }),
    ]);
  });
  afterAll(async () => {
    await closeProducer();
    await api?.close();
  });

  it('when account.created is consumed, then the customer has an account in agency 0001 with a check-digit number', async () => {
    const r = await call(api, payer.token, 'GET', '/v1/accounts/me');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ accountId: payer.accountId, customerId: payer.customerId, holderName: 'Maria da Silva Souza', agency: '0001', status: 'ACTIVE' });
    expect(r.body.number).toMatch(/^\d{6}-\d$/);
  });

  it('when a PIX is sent to an e-mail key, then it reaches COMPLETED and balances, statements and ledger agree', async () => {
    const before = await ledgerTotals(api);
    await deposit(api, payer.accountId, '1000.00', 'Depósito inicial');
    const email = `recebe.${receiver.customerId.slice(0, 8)}@teste.krt.dev`;
    expect(await addKey(api, receiver, 'EMAIL', email.toUpperCase())).toBe(email);

    const resolved = await call(api, payer.token, 'GET', `/v1/pix/keys/resolve?key=${encodeURIComponent(email)}`);
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ type: 'EMAIL', holderName: 'João S***', bank: 'KRT Bank', agency: '0001' });
    expect(resolved.body.cpf).toMatch(/^\*\*\*\.\d{3}\.\d{3}-\*\*$/);

    const sent = await pix(api, payer, { key: email, amount: '150.00', description: 'Almoço de domingo' });
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({ status: 'PENDING', amount: '150.00' });
    expect(sent.body.endToEndId).toMatch(/^E\d{8}\d{12}[A-Za-z0-9]{11}$/);

    // Never stale after the customer's own movement: the money is unavailable at once (reserved while PENDING,
    // debited once COMPLETED; either way the available balance already excludes it).
    expect((await balanceOf(api, payer)).available).toBe('850.00');

    const done = await finalStatus(api, payer, sent.body.id);
    expect(done).toMatchObject({ status: 'COMPLETED', amount: '150.00', direction: 'SENT', description: 'Almoço de domingo' });
    // As a BACEN receipt: the reader's own name in full, the other party's masked.
    expect(done.payer.name).toBe('Maria da Silva Souza');
    expect(done.receiver.name).toBe('João S***');
    const seenByReceiver = await call(api, receiver.token, 'GET', `/v1/pix/transfers/${sent.body.id}`);
    expect(seenByReceiver.body).toMatchObject({ direction: 'RECEIVED', payer: { name: 'Maria S***' }, receiver: { name: 'João Pereira Santos' } });

    expect(await balanceOf(api, payer)).toMatchObject({ available: '850.00', posted: '850.00', reserved: '0.00' });
    expect(await balanceOf(api, receiver)).toMatchObject({ available: '150.00', posted: '150.00', reserved: '0.00' });

    const payerStatement = await call(api, payer.token, 'GET', '/v1/accounts/me/statement');
    expect(payerStatement.body.items.map((i: any) => [i.kind, i.type, i.amount])).toEqual([
      ['PIX_OUT', 'DEBIT', '150.00'],
      ['DEPOSIT', 'CREDIT', '1000.00'],
    ]);
    expect(payerStatement.body.items[0]).toMatchObject({ transferId: sent.body.id, endToEndId: sent.body.endToEndId, counterpartyName: 'João Pereira Santos' });
    const receiverStatement = await call(api, receiver.token, 'GET', '/v1/accounts/me/statement');
    expect(receiverStatement.body.items).toHaveLength(1);
    expect(receiverStatement.body.items[0]).toMatchObject({ kind: 'PIX_IN', type: 'CREDIT', amount: '150.00', counterpartyName: 'Maria da Silva Souza' });

    // The receiver sees the same transfer as RECEIVED.
    const asReceiver = await call(api, receiver.token, 'GET', `/v1/pix/transfers/${sent.body.id}`);
    expect(asReceiver.body).toMatchObject({ status: 'COMPLETED', direction: 'RECEIVED' });

    // Ledger: this transfer's journal is balanced, and the whole ledger still balances.
    const { rows } = await api.rt.pool.query(
      "SELECT direction, amount, account_id FROM ledger_entries WHERE transfer_id = $1 ORDER BY direction",
      [sent.body.id],
    );
    expect(rows).toEqual([
      { direction: 'CREDIT', amount: 15000n, account_id: receiver.accountId },
      { direction: 'DEBIT', amount: 15000n, account_id: payer.accountId },
    ]);
    const after = await ledgerTotals(api);
    expect(after.debits).toBe(after.credits);
    expect(after.sumOfBalances).toBe(0n);
    expect(after.credits - before.credits).toBeGreaterThanOrEqual(100000n + 15000n);

    // It went through Kafka: every saga event was published by a relay and consumed by its consumer group.
    const { rows: events } = await api.rt.pool.query<{ topic: string; published: boolean }>(
      "SELECT topic, published_at IS NOT NULL AS published FROM outbox WHERE envelope->>'aggregateId' = $1 ORDER BY seq",
      [sent.body.id],
    );
    expect(events).toEqual([
      { topic: 'pix.initiated', published: true },
      { topic: 'fraud.cleared', published: true },
      { topic: 'pix.completed', published: expect.any(Boolean) },
    ]);
    const { rows: inbox } = await api.rt.pool.query<{ consumer: string }>(
      "SELECT i.consumer FROM inbox i JOIN outbox o ON o.event_id = i.event_id WHERE o.envelope->>'aggregateId' = $1 ORDER BY i.consumer",
      [sent.body.id],
    );
    expect(inbox.map((r) => r.consumer)).toEqual(['payments.fraud-consumer', 'payments.payment-consumer']);
  });
});
