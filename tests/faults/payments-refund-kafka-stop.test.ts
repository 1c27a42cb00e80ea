// A PIX devolução whose saga cannot run (Kafka stopped): it is accepted and holds its amount on the returning account;
// past its deadline the sweeper compensates it (FAILED, reserve released, the original returnable again in full); when
// Kafka is back its late events change nothing, and a new return of the whole PIX completes.
import { shiftedClock, startDeadlineSweeper } from '@krt/payments';
import { eventually } from '@krt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPONENTS } from '../../scripts/stack.mjs';
import { addKey, balanceOf, call, deposit, finalStatus, ledgerTotals, newCustomer, pix, refund, saoPauloToday, startPaymentsApi, type Customer, type TestApi } from '../integration/payments/payments-test-kit';

const kafka = COMPONENTS.find((c) => c.name === 'kafka')!;
const DEADLINE_MS = 4000;

describe('PIX devolução while Kafka is stopped', () => {
  let api: TestApi;
  let a: Customer;
  let b: Customer;
  let original: string;

  beforeAll(async () => {
    api = await startPaymentsApi({ clock: shiftedClock(saoPauloToday(15)) });
    [a, b] = await Promise.all([newCustomer(api), newCustomer(api)]);
    await deposit(api, a.accountId, '50.00');
    const sent = await pix(api, a, { key: await addKey(api, b), amount: '50.00' });
    expect((await finalStatus(api, a, sent.body.id)).status).toBe('COMPLETED');
    original = sent.body.id;
  });
  afterAll(async () => {
    if (!kafka.pid()) await kafka.start();
    await api?.close();
  });

  it('when the return cannot reach Kafka past its deadline, then it is failed and its reserve released; after Kafka returns nothing changes, and a new return completes', async () => {
    const before = await ledgerTotals(api);
    api.rt.ctx.pendingDeadlineMs = DEADLINE_MS;
    await kafka.stop();
    let sweeper: Awaited<ReturnType<typeof startDeadlineSweeper>> | undefined;
    try {
      const r = await refund(api, b, original, { amount: '20.00' });
      expect(r.status, r.text).toBe(202);
      const refundId = r.body.id as string;
      expect(await balanceOf(api, b)).toMatchObject({ posted: '50.00', reserved: '20.00', available: '30.00' });
      // While it holds its share, only the rest can be returned.
      expect((await call(api, b.token, 'GET', `/v1/pix/transfers/${original}`)).body).toMatchObject({ refundedAmount: '20.00', refundableAmount: '30.00' });

      // Every payments-relay instance runs a sweeper (the stack's too); this one competes for the lock.
      sweeper = startDeadlineSweeper(api.rt.ctx, { intervalMs: 300 });
      const failed = await eventually(
        async () => {
          const t = await call(api, b.token, 'GET', `/v1/pix/transfers/${refundId}`);
          return t.body.status === 'FAILED' ? t.body : undefined;
        },
        { timeoutMs: 30_000, what: 'the return failed by the sweeper' },
      );
      expect(failed).toMatchObject({ kind: 'REFUND', refundOf: original, failureCode: 'DEADLINE_EXPIRED' });
      expect(await balanceOf(api, b)).toMatchObject({ posted: '50.00', reserved: '0.00', available: '50.00' });
      expect((await call(api, b.token, 'GET', `/v1/pix/transfers/${original}`)).body).toMatchObject({ refundedAmount: '0.00', refundableAmount: '50.00' });

      await kafka.start();
      // The return's pix.initiated and pix.failed go out now; the late fraud decision finds it FAILED and does nothing.
      await eventually(
        async () => {
          const { rows } = await api.rt.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE envelope->>'aggregateId' = $1 AND published_at IS NULL", [refundId]);
          return rows[0]!.n === 0;
        },
        { timeoutMs: 90_000, intervalMs: 1000, what: "the return's events published after Kafka returned" },
      );
      await eventually(
        async () => {
          const { rows } = await api.rt.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE envelope->'payload'->>'transferId' = $1 AND topic IN ('fraud.cleared', 'fraud.detected')", [refundId]);
          return rows[0]!.n === 1;
        },
        { timeoutMs: 60_000, intervalMs: 500, what: 'the late fraud decision' },
      );
      await new Promise((res) => setTimeout(res, 2000)); // room for the payment consumer to (not) act on it
      expect((await call(api, b.token, 'GET', `/v1/pix/transfers/${refundId}`)).body.status).toBe('FAILED');
      const { rows: lines } = await api.rt.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_entries WHERE transfer_id = $1', [refundId]);
      expect(lines[0]!.n).toBe(0);
    } finally {
      await sweeper?.stop();
      api.rt.ctx.pendingDeadlineMs = 60_000;
    }

    const again = await refund(api, b, original, { amount: '50.00' });
    expect(again.status, again.text).toBe(202);
    expect((await finalStatus(api, b, again.body.id, 60_000)).status).toBe('COMPLETED');
    expect((await balanceOf(api, a)).available).toBe('50.00');
    expect((await balanceOf(api, b)).available).toBe('0.00');
    const after = await ledgerTotals(api);
    expect(after.debits - before.debits).toBe(after.credits - before.credits);
    expect(after.sumOfBalances).toBe(0n);
  });
});
