import { shiftedClock } from '@krt/payments';
import { eventually } from '@krt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addKey, balanceOf, deposit, ledgerTotals, newCustomer, pix, prng, saoPauloToday, startPaymentsApi, type Customer, type TestApi } from './payments-test-kit';

describe('Randomized PIX run among a dozen accounts', () => {
  let api: TestApi;
  let customers: Customer[];
  let keys: string[];
  const seed = Number(process.env.PIX_RANDOM_SEED ?? Date.now() % 1_000_000);
  const deposits: bigint[] = [];

  beforeAll(async () => {
    // No relay in this process: the stack's relays publish these 300 PIX. An untraced relay here would also take
    // rows of PIX that other files run at the same time (their events settle in the same batched commits), and
    // their traces (pix-trace.test.ts) would lose the publish span.
    api = await startPaymentsApi({ clock: shiftedClock(saoPauloToday(13)), relay: false });
    customers = await Promise.all(Array.from({ length: 12 }, () => newCustomer(api)));
    keys = await Promise.all(customers.map((c) => addKey(api, c)));
    const rnd = prng(seed);
    for (const c of customers) {
      const centavos = BigInt(5000 + Math.floor(rnd() * 20000)); // R$ 50,00 … R$ 250,00
      deposits.push(centavos);
      await deposit(api, c.accountId, (Number(centavos) / 100).toFixed(2));
    }
  });
  afterAll(async () => api?.close());

  it(`when 300 random transfers run 12 at a time (seed ${seed}), then every one ends in a final state and the money is conserved exactly`, async () => {
    const rnd = prng(seed + 1);
    const jobs = Array.from({ length: 300 }, () => {
      const from = Math.floor(rnd() * 12);
      let to = Math.floor(rnd() * 11);
      if (to >= from) to += 1;
      const centavos = 1 + Math.floor(rnd() * 6000); // R$ 0,01 … R$ 60,00: often more than the payer has
      return { from, to, amount: (centavos / 100).toFixed(2) };
    });
    const accepted: { id: string; payer: Customer }[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        while (next < jobs.length) {
          const job = jobs[next++]!;
          const r = await pix(api, customers[job.from]!, { key: keys[job.to]!, amount: job.amount, description: 'aleatório' });
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
          if (r.status === 202) accepted.push({ id: r.body.id, payer: customers[job.from]! });
          else expect(r.body.code, JSON.stringify(r.body)).toBe('SALDO_INSUFICIENTE');
        }
      }),
    );
    expect([...statuses.keys()].every((s) => s === 202 || s === 422)).toBe(true);
    expect(accepted.length).toBeGreaterThan(100);

    const ids = accepted.map((a) => a.id);
    await eventually(
      async () => {
        const { rows } = await api.rt.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pix_transfers WHERE id = ANY($1::uuid[]) AND status = 'PENDING'", [ids]);
        return rows[0]!.n === 0;
      },
      { timeoutMs: 90_000, intervalMs: 500, what: 'every transfer final' },
    );

    const accountIds = customers.map((c) => c.accountId);
    const { rows: accounts } = await api.rt.pool.query<{ id: string; posted: bigint; reserved: bigint }>('SELECT id, posted, reserved FROM accounts WHERE id = ANY($1::uuid[])', [accountIds]);
    const total = accounts.reduce((s, a) => s + a.posted, 0n);
    expect(total).toBe(deposits.reduce((s, d) => s + d, 0n));
    for (const a of accounts) {
      expect(a.reserved).toBe(0n);
      expect(a.posted >= 0n).toBe(true);
    }
    // Each account's balance equals the sum of its ledger lines; each completed transfer has exactly two lines.
    const { rows: sums } = await api.rt.pool.query<{ account_id: string; net: bigint }>(
      "SELECT account_id, sum(CASE WHEN direction = 'CREDIT' THEN amount ELSE -amount END)::bigint AS net FROM ledger_entries WHERE account_id = ANY($1::uuid[]) GROUP BY account_id",
      [accountIds],
    );
    for (const a of accounts) expect(sums.find((s) => s.account_id === a.id)?.net).toBe(a.posted);
    const { rows: lines } = await api.rt.pool.query<{ status: string; lines: number; n: number }>(
      `SELECT t.status, (SELECT count(*) FROM ledger_entries e WHERE e.transfer_id = t.id)::int AS lines, count(*) OVER (PARTITION BY t.status)::int AS n
         FROM pix_transfers t WHERE t.id = ANY($1::uuid[])`,
      [ids],
    );
    for (const l of lines) expect(l.lines).toBe(l.status === 'COMPLETED' ? 2 : 0);
    const totals = await ledgerTotals(api);
    expect(totals.debits).toBe(totals.credits);
    expect(totals.sumOfBalances).toBe(0n);
    // The Redis read model agrees with the ledger.
    for (const c of customers) {
      const b = await balanceOf(api, c);
      expect(b.reserved).toBe('0.00');
      expect(BigInt(b.posted.replace('.', ''))).toBe(accounts.find((a) => a.id === c.accountId)!.posted);
    }
  });
});
