import { shiftedClock } from '@krt/payments';
import { eventually } from '@krt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPONENTS } from '../../scripts/stack.mjs';
import { addKey, deposit, ledgerTotals, newCustomer, pix, saoPauloToday, startPaymentsApi, type Customer, type TestApi } from '../integration/payments/payments-test-kit';

const kafka = COMPONENTS.find((c) => c.name === 'kafka')!;

describe('Kafka stopped while PIX are sent', () => {
  let api: TestApi;
  let payers: Customer[];
  let receiverKey: string;

  beforeAll(async () => {
    api = await startPaymentsApi({ clock: shiftedClock(saoPauloToday(16)) });
    payers = await Promise.all(Array.from({ length: 4 }, () => newCustomer(api)));
    const receiver = await newCustomer(api);
    receiverKey = await addKey(api, receiver);
    for (const p of payers) await deposit(api, p.accountId, '100.00');
  });
  afterAll(async () => {
    if (!kafka.pid()) await kafka.start();
    await api?.close();
  });

  it('when 100 PIX are sent with Kafka down, then all are accepted, and after Kafka returns all reach a final state with nothing lost or duplicated', async () => {
    const before = await ledgerTotals(api);
    await kafka.stop();
    const stoppedAt = Date.now();
    const answers = [];
    for (let batch = 0; batch < 10; batch++) {
      answers.push(...(await Promise.all(Array.from({ length: 10 }, (_, i) => pix(api, payers[(batch * 10 + i) % 4]!, { key: receiverKey, amount: '1.00', description: `sem kafka ${batch * 10 + i}` })))));
    }
    expect(answers.map((a) => a.status)).toEqual(Array(100).fill(202));
    const ids: string[] = answers.map((a) => a.body.id);

    // The outbox holds every pix.initiated while the broker is away.
    const { rows: waiting } = await api.rt.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM outbox WHERE topic = 'pix.initiated' AND published_at IS NULL AND envelope->>'aggregateId' = ANY($1)",
      [ids],
    );
    expect(waiting[0]!.n).toBe(100);

    await kafka.start();
    const downForMs = Date.now() - stoppedAt;
    await eventually(
      async () => {
        const { rows } = await api.rt.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pix_transfers WHERE id = ANY($1::uuid[]) AND status = 'PENDING'", [ids]);
        return rows[0]!.n === 0;
      },
      { timeoutMs: 150_000, intervalMs: 1000, what: 'all 100 transfers final' },
    );

    const { rows: final } = await api.rt.pool.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM pix_transfers WHERE id = ANY($1::uuid[]) GROUP BY status', [ids]);
    const byStatus = Object.fromEntries(final.map((r) => [r.status, r.n]));
    console.log(`Kafka down for ${downForMs} ms; final states: ${JSON.stringify(byStatus)}`);
    expect((byStatus.COMPLETED ?? 0) + (byStatus.FAILED ?? 0)).toBe(100);
    // A transfer can only fail here by the deadline sweeper (Kafka down longer than the pending deadline).
    if (downForMs < 45_000) expect(byStatus.COMPLETED).toBe(100);

    // Nothing duplicated: one pix.initiated per transfer, two ledger lines per completed one, none per failed one.
    const { rows: initiated } = await api.rt.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE topic = 'pix.initiated' AND envelope->>'aggregateId' = ANY($1)", [ids]);
    expect(initiated[0]!.n).toBe(100);
    const { rows: lines } = await api.rt.pool.query<{ status: string; lines: number }>(
      'SELECT t.status, (SELECT count(*) FROM ledger_entries e WHERE e.transfer_id = t.id)::int AS lines FROM pix_transfers t WHERE t.id = ANY($1::uuid[])',
      [ids],
    );
    for (const l of lines) expect(l.lines).toBe(l.status === 'COMPLETED' ? 2 : 0);
    const { rows: reserved } = await api.rt.pool.query<{ n: bigint }>('SELECT sum(reserved)::bigint AS n FROM accounts WHERE id = ANY($1::uuid[])', [payers.map((p) => p.accountId)]);
    expect(reserved[0]!.n).toBe(0n);
    const after = await ledgerTotals(api);
    expect(after.debits).toBe(after.credits);
    expect(after.sumOfBalances).toBe(0n);
    expect(after.credits - before.credits).toBeGreaterThanOrEqual(BigInt(byStatus.COMPLETED ?? 0) * 100n);
  });
});
