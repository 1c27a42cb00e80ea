import { randomUUID } from 'node:crypto';
import { generateEndToEndId, KRT_ISPB } from '@krt/domain';
import { StaleFencingTokenError, SWEEPER_LOCK_KEY, startDeadlineSweeper, sweepExpired } from '@krt/payments';
import { tryAcquireLock } from '@krt/platform/persistence';
import { eventually } from '@krt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceOf, call, deposit, newCustomer, startPaymentsApi, type Customer, type TestApi } from './payments-test-kit';

describe('Deadline sweeper (Redis lock with expiry + fencing token checked in the database)', () => {
  let api: TestApi;
  let payer: Customer;
  let receiver: Customer;

  beforeAll(async () => {
    api = await startPaymentsApi({ relay: false });
    [payer, receiver] = await Promise.all([newCustomer(api), newCustomer(api)]);
    await deposit(api, payer.accountId, '80.00');
  });
  afterAll(async () => api?.close());

  /** A transfer whose pix.initiated was lost to the saga: reserved and PENDING, deadline already past. */
  async function stuckTransfer(amountCentavos: bigint): Promise<string> {
    const id = randomUUID();
    const client = await api.rt.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('UPDATE accounts SET reserved = reserved + $2, version = version + 1 WHERE id = $1', [payer.accountId, amountCentavos.toString()]);
      await client.query(
        `INSERT INTO pix_transfers (id, end_to_end_id, payer_account_id, payer_customer_id, receiver_account_id, receiver_customer_id, receiver_key_type, receiver_key, amount, description, created_at, deadline_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'EVP', $7, $8, 'preso', now() - interval '2 minutes', now() - interval '1 minute')`,
        [id, generateEndToEndId(KRT_ISPB, new Date(), randomUUID().replace(/-/g, '').slice(0, 11)), payer.accountId, payer.customerId, receiver.accountId, receiver.customerId, randomUUID(), amountCentavos.toString()],
      );
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    await api.rt.ctx.balanceCache.invalidate(payer.accountId);
    return id;
  }

  it('when a transfer stays PENDING past its deadline, then a sweeper fails it with a reason, releases the reserve and emits pix.failed', async () => {
    const id = await stuckTransfer(2500n);
    expect(await balanceOf(api, payer)).toMatchObject({ available: '55.00', reserved: '25.00' });
    // Every payments-relay instance runs a sweeper; whichever holds the lock first acts. This test's sweeper competes too.
    const sweeper = startDeadlineSweeper(api.rt.ctx, { intervalMs: 300 });
    try {
      const done = await eventually(
        async () => {
          const r = await call(api, payer.token, 'GET', `/v1/pix/transfers/${id}`);
          return r.body.status === 'FAILED' ? r.body : undefined;
        },
        { timeoutMs: 20_000, what: 'stuck transfer failed by the sweeper' },
      );
      expect(done).toMatchObject({ failureCode: 'DEADLINE_EXPIRED' });
      expect(done.failureReason).toMatch(/prazo/);
    } finally {
      await sweeper.stop();
    }
    expect(await balanceOf(api, payer)).toMatchObject({ available: '80.00', posted: '80.00', reserved: '0.00' });
    const { rows } = await api.rt.pool.query(
      "SELECT envelope->'payload'->>'reason' AS reason, envelope->'payload'->>'failureCode' AS code FROM outbox WHERE topic = 'pix.failed' AND envelope->>'aggregateId' = $1",
      [id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ reason: expect.stringMatching(/prazo/), code: 'DEADLINE_EXPIRED' });
  });

  it('when the lock is held, then another sweeper does not run; when a holder’s fencing token is older than the last one used, then its sweep is refused', async () => {
    const lease = await eventually(() => tryAcquireLock(api.rt.redis, SWEEPER_LOCK_KEY, 5000).then((l) => l ?? undefined), { timeoutMs: 20_000, what: 'lock acquired' });
    try {
      const other = startDeadlineSweeper(api.rt.ctx, { intervalMs: 60_000 });
      expect(await other.runOnce()).toBeNull();
      await other.stop();
      // The lease acts with its token…
      await sweepExpired(api.rt.ctx, lease.token);
      // …after which a paused holder that still believes it has the older token is fenced off.
      await expect(sweepExpired(api.rt.ctx, lease.token - 1n)).rejects.toBeInstanceOf(StaleFencingTokenError);
    } finally {
      await lease.release();
    }
    // The lock expires on its own if a holder dies: a 300 ms lease is gone shortly after.
    const short = await eventually(() => tryAcquireLock(api.rt.redis, SWEEPER_LOCK_KEY, 300).then((l) => l ?? undefined), { timeoutMs: 20_000, what: 'short lock' });
    const ttl = await api.rt.redis.pttl(SWEEPER_LOCK_KEY);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(300);
    await new Promise((r) => setTimeout(r, 400));
    expect(await api.rt.redis.get(SWEEPER_LOCK_KEY)).not.toBe(short.token.toString());
  });
});
