// Read-your-writes with a lagging replica: replay on the replica is paused (as if it were minutes behind), and a
// customer who just sent a PIX must still see it — the transfer, its outcome, their balance and their statement —
// while a customer with no recent write keeps reading the replica. Design: docs/read-your-writes.md.
// Runs alone (faults): pausing the shared replica would make other tests' reads stale.
import { accountReadKey, shiftedClock } from '@krt/payments';
import { eventually } from '@krt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replicaLagBytes } from '../../scripts/stack/postgres-replica.mjs';
import { addKey, call, closeProducer, deposit, finalStatus, newCustomer, pix, saoPauloToday, type Customer, type TestApi } from '../integration/payments/payments-test-kit';
import { replicaAdmin, startPaymentsApiOnReplica } from '../integration/scale/scale-kit';

describe('read-your-writes while the read replica lags', () => {
  const replica = replicaAdmin();
  let api: TestApi;
  let payer: Customer;
  let receiver: Customer;
  let bystander: Customer;
  let receiverKey: string;
  const target = (c: Customer) => api.rt.ctx.reads.targetFor(accountReadKey(c.accountId));

  beforeAll(async () => {
    api = await startPaymentsApiOnReplica('payments-ryw', shiftedClock(saoPauloToday(14)));
    [payer, receiver, bystander] = await Promise.all([newCustomer(api), newCustomer(api), newCustomer(api)]);
    await deposit(api, payer.accountId, '300.00', 'Depósito inicial');
    receiverKey = await addKey(api, receiver);
    // Everything so far is on the replica; from here on it replays nothing.
    await eventually(async () => replicaLagBytes() === 0, { timeoutMs: 10_000, intervalMs: 50, what: 'replica caught up' });
    await replica.query('SELECT pg_wal_replay_pause()');
  });
  afterAll(async () => {
    await replica.query('SELECT pg_wal_replay_resume()').catch(() => undefined);
    await replica.end();
    await closeProducer();
    await api?.close();
  });

  it('when the replica is behind, then the customer still sees their own PIX, its completion, balance and statement', async () => {
    expect((await replica.query<{ paused: string }>('SELECT pg_get_wal_replay_pause_state() AS paused')).rows[0]!.paused).not.toBe('not paused');
    const sent = await pix(api, payer, { key: receiverKey, amount: '75.00', description: 'Com réplica atrasada' });
    expect(sent.status).toBe(202);
    const detail = await call(api, payer.token, 'GET', `/v1/pix/transfers/${sent.body.id}`);
    expect(detail.status).toBe(200);
    const listed = await call(api, payer.token, 'GET', '/v1/pix/transfers?limit=5');
    expect(listed.body.items[0]).toMatchObject({ id: sent.body.id });
    const done = await finalStatus(api, payer, sent.body.id, 30_000);
    expect(done.status).toBe('COMPLETED');
    const [balance, statement, summary] = await Promise.all([
      call(api, payer.token, 'GET', '/v1/accounts/me/balance'),
      call(api, payer.token, 'GET', '/v1/accounts/me/statement?limit=5'),
      call(api, payer.token, 'GET', '/v1/accounts/me/summary'),
    ]);
    expect(balance.body).toMatchObject({ available: '225.00', posted: '225.00' });
    expect(statement.body.items[0]).toMatchObject({ kind: 'PIX_OUT', amount: '75.00', transferId: sent.body.id });
    expect(summary.body.recent[0]).toMatchObject({ kind: 'PIX_OUT', amount: '75.00' });
    // The receiver's account was written by the payment consumer (another process): same rule.
    const receiverStatement = await call(api, receiver.token, 'GET', '/v1/accounts/me/statement?limit=5');
    expect(receiverStatement.body.items[0]).toMatchObject({ kind: 'PIX_IN', amount: '75.00' });
    expect(await target(payer)).toBe('primary');
    expect(await target(receiver)).toBe('primary');
  });

  it('when the replica is behind, then a customer with no recent write is still served by the replica', async () => {
    expect(await target(bystander)).toBe('replica');
    const r = await call(api, bystander.token, 'GET', '/v1/accounts/me/statement?limit=5');
    expect(r.status).toBe(200);
    expect(r.body.items).toEqual([]);
  });

  it('when the replica replays again, then the writers\' reads go back to it', async () => {
    await replica.query('SELECT pg_wal_replay_resume()');
    await eventually(async () => (await target(payer)) === 'replica' && (await target(receiver)) === 'replica', { timeoutMs: 10_000, intervalMs: 50, what: 'reads back on the replica' });
    const statement = await call(api, payer.token, 'GET', '/v1/accounts/me/statement?limit=5');
    expect(statement.body.items[0]).toMatchObject({ kind: 'PIX_OUT', amount: '75.00' });
  });
});
