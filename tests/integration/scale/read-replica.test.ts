// The read replica (5434): a streaming hot standby of the primary, and the payments query paths read through it.
// The evidence comes from the replica itself (pg_stat_activity and pg_stat_database are per server).
import { eventually } from '@krt/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shiftedClock } from '@krt/payments';
import { replicaLagBytes } from '../../../scripts/stack/postgres-replica.mjs';
import { addKey, call, closeProducer, deposit, finalStatus, newCustomer, pix, saoPauloToday, type Customer, type TestApi } from '../payments/payments-test-kit';
import { primaryAdmin, replicaAdmin, replicaPaymentsTransactions, sessionsOf, startPaymentsApiOnReplica } from './scale-kit';

const NAME = `payments-scale-${randomUUID().slice(0, 6)}`;

describe('read replica', () => {
  const replica = replicaAdmin();
  const primary = primaryAdmin();
  let api: TestApi;
  let payer: Customer;
  let receiver: Customer;

  beforeAll(async () => {
    // Daytime in São Paulo, so neither the night limit nor the atypical-hour rule plays a part.
    api = await startPaymentsApiOnReplica(NAME, shiftedClock(saoPauloToday(14)));
    [payer, receiver] = await Promise.all([newCustomer(api), newCustomer(api)]);
    await deposit(api, payer.accountId, '500.00', 'Depósito inicial');
  });
  afterAll(async () => {
    await closeProducer();
    await api?.close();
    await replica.end();
    await primary.end();
  });

  it('when the stack is up, then the replica is a standby streaming from the primary and caught up within a second', async () => {
    expect((await replica.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r')).rows[0]!.r).toBe(true);
    const { rows } = await primary.query<{ state: string }>("SELECT state FROM pg_stat_replication WHERE application_name = 'postgres-replica'");
    expect(rows.map((r) => r.state)).toEqual(['streaming']);
    // A write on the primary is visible on the replica almost at once.
    const marker = randomUUID();
    await primary.query(`SELECT pg_logical_emit_message(false, 'scale-test', $1)`, [marker]);
    await eventually(async () => replicaLagBytes() === 0, { timeoutMs: 1000, intervalMs: 50, what: 'replica caught up' });
  });

  it('when a customer reads their statement, then the query runs on the replica, not on the primary', async () => {
    const before = await replicaPaymentsTransactions(replica);
    for (let i = 0; i < 20; i++) {
      const r = await call(api, payer.token, 'GET', '/v1/accounts/me/statement?limit=10');
      expect(r.status).toBe(200);
    }
    // The replica's own sessions, under the read pool's application name, last ran the statement query…
    const onReplica = await sessionsOf(replica, `${NAME}-read`);
    expect(onReplica.length).toBeGreaterThan(0);
    expect(onReplica.every((s) => s.datname === 'payments')).toBe(true);
    expect(onReplica.map((s) => s.query).join('\n')).toMatch(/FROM ledger_entries/i);
    // …the primary has no read-pool session at all…
    expect(await sessionsOf(primary, `${NAME}-read`)).toEqual([]);
    // …and the replica counted the transactions (its statistics are flushed within seconds).
    await eventually(async () => (await replicaPaymentsTransactions(replica)) - before >= 20, { timeoutMs: 20_000, intervalMs: 500, what: 'replica transaction counter' });
  });

  it('when the stack starts payments, then its read pool is the replica too', async () => {
    const r = await call({ url: 'http://127.0.0.1:5002' }, payer.token, 'GET', '/v1/accounts/me/statement?limit=5');
    expect(r.status).toBe(200);
    const sessions = await sessionsOf(replica, 'payments-read');
    expect(sessions.length).toBeGreaterThan(0);
  });

  it('when a customer sends a PIX, then right after it completes their balance reflects it (balance reads the primary)', async () => {
    const key = await addKey(api, receiver);
    const sent = await pix(api, payer, { key, amount: '120.00', description: 'Leitura após escrita' });
    expect(sent.status).toBe(202);
    // The money is unavailable at once, before any replica could matter (reserved while PENDING, debited once the
    // saga — which may already be done — completes)…
    expect((await call(api, payer.token, 'GET', '/v1/accounts/me/balance')).body).toMatchObject({ available: '380.00' });
    const done = await finalStatus(api, payer, sent.body.id);
    expect(done.status).toBe('COMPLETED');
    // …and the settlement too, with no waiting.
    expect((await call(api, payer.token, 'GET', '/v1/accounts/me/balance')).body).toMatchObject({ available: '380.00', posted: '380.00', reserved: '0.00' });
    expect((await call(api, receiver.token, 'GET', '/v1/accounts/me/balance')).body).toMatchObject({ available: '120.00', posted: '120.00' });
  });
});
