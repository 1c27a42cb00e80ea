// Group commit of PIX initiations: concurrent initiations of one payments process share one transaction, each decided
// in arrival order with the rules of one alone; a group that fails unexpectedly is retried one at a time.
import { randomUUID } from 'node:crypto';
import { initiatePixTransfer, shiftedClock } from '@krt/payments';
import { Money } from '@krt/domain';
import { createLogger } from '@krt/platform/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addKey, balanceOf, deposit, ledgerTotals, newCustomer, pix, saoPauloToday, setLimits, startPaymentsApi, TEST_PIN, type Customer, type TestApi } from './payments-test-kit';

describe('PIX group commit', () => {
  let api: TestApi;
  let receiver: Customer;
  let receiverKey: string;
  const logLines: { msg?: string; size?: number; err?: { code?: string } }[] = [];

  beforeAll(async () => {
    const logger = createLogger('payments-group-test', { level: 'warn', destination: { write: (line: string) => void logLines.push(JSON.parse(line)) } });
    api = await startPaymentsApi({ clock: shiftedClock(saoPauloToday(10)), logger });
    receiver = await newCustomer(api);
    receiverKey = await addKey(api, receiver);
  });
  afterAll(async () => api?.close());

  const fallbacks = () => logLines.filter((l) => l.msg?.startsWith('pix group commit failed'));

  it('when 40 concurrent PIX come from a payer who can afford 9, then exactly 9 are accepted in groups, 31 refused SALDO_INSUFICIENTE, every answer replays and the ledger balances', async () => {
    const payer = await newCustomer(api);
    await deposit(api, payer.accountId, '95.00');
    const fallbacksBefore = fallbacks().length;
    const keys = Array.from({ length: 40 }, () => randomUUID());
    const answers = await Promise.all(keys.map((k, i) => pix(api, payer, { key: receiverKey, amount: '10.00', description: `grupo ${i}` }, k)));

    const accepted = answers.filter((a) => a.status === 202);
    const refused = answers.filter((a) => a.status !== 202);
    expect(accepted).toHaveLength(9);
    expect(refused).toHaveLength(31);
    for (const r of refused) expect(r.body).toMatchObject({ code: 'SALDO_INSUFICIENTE', message: 'Saldo insuficiente.' });
    // Decided in groups, not one by one: one transaction stamps one created_at on all the keys it claimed.
    const { rows: stamps } = await api.rt.pool.query<{ n: string }>('SELECT count(DISTINCT created_at)::text AS n FROM idempotency_keys WHERE customer_id = $1', [payer.customerId]);
    expect(Number(stamps[0]!.n)).toBeLessThan(40);
    expect(fallbacks().length).toBe(fallbacksBefore);

    // Each stored answer replays: the same transfer, or the same refusal.
    const replays = await Promise.all(keys.map((k, i) => pix(api, payer, { key: receiverKey, amount: '10.00', description: `grupo ${i}` }, k)));
    replays.forEach((r, i) => {
      expect(r.status).toBe(answers[i]!.status);
      if (r.status === 202) {
        expect(r.headers.get('idempotent-replayed')).toBe('true');
        expect(r.body.id).toBe(answers[i]!.body.id);
      } else expect(r.body.code).toBe('SALDO_INSUFICIENTE');
    });

    const { rows } = await api.rt.pool.query<{ n: string; total: bigint }>('SELECT count(*)::text AS n, sum(amount)::bigint AS total FROM pix_transfers WHERE payer_account_id = $1', [payer.accountId]);
    expect(rows[0]).toEqual({ n: '9', total: 9000n });
    const { rows: events } = await api.rt.pool.query<{ n: string }>("SELECT count(*)::text AS n FROM outbox WHERE topic = 'pix.initiated' AND message_key = $1", [payer.accountId]);
    expect(events[0]!.n).toBe('9');
    const balance = await balanceOf(api, payer);
    expect(BigInt(balance.posted.replace('.', '')) - BigInt(balance.reserved.replace('.', ''))).toBe(BigInt(balance.available.replace('.', '')));
    expect(balance.available).toBe('5.00');
    const totals = await ledgerTotals(api);
    expect(totals.debits).toBe(totals.credits);
    expect(totals.sumOfBalances).toBe(0n);
  });

  it('when concurrent PIX pass the daily limit, then those decided first within it are accepted and the rest refused LIMIT_DAILY_EXCEEDED, in arrival order', async () => {
    const payer = await newCustomer(api);
    await deposit(api, payer.accountId, '500.00');
    const lowered = await setLimits(api, payer, { daily: '50.00', perTransaction: '50.00', night: '50.00' });
    expect(lowered.status, lowered.text).toBe(200);
    // Issued in order within one tick. Each one's transaction PIN is read before it joins a group; over a single
    // connection those reads end in the order issued, so the initiations arrive in that order, and every group keeps it.
    const oneConnection = await startPaymentsApi({ clock: shiftedClock(saoPauloToday(10)), poolMax: 1, relay: false });
    try {
      const commands = Array.from({ length: 12 }, (_, i) => ({
        customerId: payer.customerId,
        idempotencyKey: randomUUID(),
        key: receiverKey,
        amount: Money.of('10.00'),
        description: `limite ${i}`,
        pin: TEST_PIN,
        correlationId: `test-${randomUUID()}`,
      }));
      const results = await Promise.allSettled(commands.map((c) => initiatePixTransfer(oneConnection.rt.ctx, c)));
      expect(results.map((r) => r.status)).toEqual([...Array(5).fill('fulfilled'), ...Array(7).fill('rejected')]);
      for (const r of results.slice(5)) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'LIMIT_DAILY_EXCEEDED' });
      // In groups, not one by one (one transaction stamps one created_at on the keys it claimed).
      const { rows: stamps } = await api.rt.pool.query<{ n: string }>('SELECT count(DISTINCT created_at)::text AS n FROM idempotency_keys WHERE customer_id = $1', [payer.customerId]);
      expect(Number(stamps[0]!.n)).toBeLessThan(5);
    } finally {
      await oneConnection.close();
    }
    expect(await balanceOf(api, payer)).toMatchObject({ available: '450.00' });
  });

  it('when one initiation of a group fails unexpectedly, then the group is retried one at a time: the others are accepted and only that one fails', async () => {
    const payer = await newCustomer(api);
    await deposit(api, payer.accountId, '100.00');
    const fallbacksBefore = fallbacks().length;
    // Past the HTTP validation: a description longer than the column's CHECK allows fails inside the database.
    const commands = Array.from({ length: 12 }, (_, i) => ({
      customerId: payer.customerId,
      idempotencyKey: randomUUID(),
      key: receiverKey,
      amount: Money.of('1.00'),
      description: i === 11 ? 'x'.repeat(141) : `lote ${i}`,
      pin: TEST_PIN,
      correlationId: `test-${randomUUID()}`,
    }));
    const results = await Promise.allSettled(commands.map((c) => initiatePixTransfer(api.rt.ctx, c)));

    const ok = results.filter((r) => r.status === 'fulfilled');
    expect(ok).toHaveLength(11);
    const failed = results[11]!;
    expect(failed.status).toBe('rejected');
    expect((failed as PromiseRejectedResult).reason).toMatchObject({ code: '23514' });
    expect(fallbacks().length).toBeGreaterThan(fallbacksBefore);

    const { rows } = await api.rt.pool.query<{ n: string }>('SELECT count(*)::text AS n FROM pix_transfers WHERE payer_account_id = $1', [payer.accountId]);
    expect(rows[0]!.n).toBe('11');
    // The failed one kept nothing, not even its key: a corrected retry with the same key is decided afresh.
    const { rows: keyRows } = await api.rt.pool.query('SELECT 1 FROM idempotency_keys WHERE customer_id = $1 AND key = $2', [payer.customerId, commands[11]!.idempotencyKey]);
    expect(keyRows).toHaveLength(0);
    expect(await balanceOf(api, payer)).toMatchObject({ available: '89.00' });
  });
});
