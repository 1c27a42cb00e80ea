// The payments outbox relay and deadline sweeper run in their own process (payments-relay), apart from the API: with
// it stopped the API still accepts PIX and their events wait in the outbox; started again, it publishes them and the
// sagas finish. Two replicas at once publish every row exactly once (FOR UPDATE SKIP LOCKED). The API here runs
// without a relay of its own, as the stack's does: its commits signal the relay after COMMIT (a NOTIFY outside them).
import { randomUUID } from 'node:crypto';
import { eventually } from '@krt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_PROCESSES, instancesOf, runningInstances, stackEnv, startInstance, stopInstance, type AppInstance } from '../../scripts/stack/apps.mjs';
import { addKey, call, deposit, finalStatus, newCustomer, pix, startPaymentsApi, type Customer, type TestApi } from '../integration/payments/payments-test-kit';

const relayApp = APP_PROCESSES.find((a) => a.name === 'payments-relay')!;
const [first, second] = instancesOf(relayApp, { PAYMENTS_RELAY_REPLICAS: '2' }) as [AppInstance, AppInstance];

describe('payments-relay: its own process, restartable and scalable on its own', () => {
  let api: TestApi;
  let payer: Customer;
  let key: string;

  const outboxOf = async (transferIds: string[]) =>
    (
      await api.rt.pool.query<{ topic: string; published: boolean; attempts: number }>(
        "SELECT topic, published_at IS NOT NULL AS published, attempts FROM outbox WHERE envelope->>'aggregateId' = ANY($1::text[]) AND topic IN ('pix.initiated', 'fraud.cleared', 'pix.completed') ORDER BY seq",
        [transferIds],
      )
    ).rows;

  beforeAll(async () => {
    api = await startPaymentsApi({ relay: false });
    const receiver = await newCustomer(api);
    payer = await newCustomer(api);
    await deposit(api, payer.accountId, '100.00');
    key = await addKey(api, receiver);
  });
  afterAll(async () => {
    await stopInstance(second.name);
    const env = await stackEnv();
    if (!runningInstances(relayApp).some((i) => i.name === first.name)) await startInstance(first, env);
    await api?.close();
  });

  it('when the relay process is stopped, then PIX are still accepted and wait PENDING with their event in the outbox; when it starts again, they complete', async () => {
    for (const inst of runningInstances(relayApp)) await stopInstance(inst.name);
    const sent = await pix(api, payer, { key, amount: '1.00' }, randomUUID());
    expect(sent.status).toBe(202);
    const transferId: string = sent.body.id;
    await new Promise((r) => setTimeout(r, 2000));
    expect((await call(api, payer.token, 'GET', `/v1/pix/transfers/${transferId}`)).body.status).toBe('PENDING');
    expect(await outboxOf([transferId])).toEqual([{ topic: 'pix.initiated', published: false, attempts: 0 }]);

    await startInstance(first, await stackEnv());
    expect((await finalStatus(api, payer, transferId, 60_000)).status).toBe('COMPLETED');
  });

  it('when two relay processes run at once, then every event of a burst of PIX is published exactly once and every PIX completes', async () => {
    const env = await stackEnv();
    if (!runningInstances(relayApp).some((i) => i.name === first.name)) await startInstance(first, env);
    await startInstance(second, env);
    const ids = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const sent = await pix(api, payer, { key, amount: '0.10' }, randomUUID());
        expect(sent.status).toBe(202);
        return sent.body.id as string;
      }),
    );
    for (const id of ids) expect((await finalStatus(api, payer, id, 60_000)).status).toBe('COMPLETED');
    // pix.initiated, fraud.cleared, pix.completed per transfer: each published, in one attempt (no relay sent it twice).
    const rows = await eventually(
      async () => {
        const all = await outboxOf(ids);
        return all.length === ids.length * 3 && all.every((r) => r.published) ? all : undefined;
      },
      { timeoutMs: 30_000, what: 'every event of the burst published' },
    );
    expect(rows.filter((r) => r.attempts !== 1)).toEqual([]);
  });
});
