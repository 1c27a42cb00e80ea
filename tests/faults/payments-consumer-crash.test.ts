import { spawn } from 'node:child_process';
import { createKafka } from '@krt/platform/messaging';
import { eventually } from '@krt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_PROCESSES, instancesOf, stackEnv, startInstance, stopInstance } from '../../scripts/stack/apps.mjs';
import { addKey, balanceOf, call, deposit, newCustomer, pix, startPaymentsApi, type TestApi } from '../integration/payments/payments-test-kit';

const paymentConsumer = APP_PROCESSES.find((a) => a.name === 'payments-payment-consumer')!;

async function committedOffset(topic: string, partition: number): Promise<bigint> {
  const admin = createKafka('payments-fault-admin', '127.0.0.1:9092').admin();
  await admin.connect();
  try {
    const [t] = await admin.fetchOffsets({ groupId: 'payments.payment-consumer', topics: [topic] });
    return BigInt(t!.partitions.find((p) => p.partition === partition)!.offset);
  } finally {
    await admin.disconnect();
  }
}

describe('Payment consumer killed between its effect and its offset commit', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startPaymentsApi();
    for (const inst of instancesOf(paymentConsumer)) await stopInstance(inst.name);
  });
  afterAll(async () => {
    const env = await stackEnv();
    for (const inst of instancesOf(paymentConsumer)) await startInstance(inst, env);
    await api?.close();
  });

  it('when the consumer dies after settling and restarts, then the redelivered fraud.cleared is recognised by the inbox and the receiver is credited once', async () => {
    const [payer, receiver] = await Promise.all([newCustomer(api), newCustomer(api)]);
    await deposit(api, payer.accountId, '100.00');
    const key = await addKey(api, receiver);
    const sent = await pix(api, payer, { key, amount: '42.00', description: 'crédito único' });
    expect(sent.status).toBe(202);
    const transferId: string = sent.body.id;
    // The Fraud consumer clears it; with no Payment consumer running, fraud.cleared waits in Kafka.
    await eventually(
      async () => {
        const { rows } = await api.rt.pool.query("SELECT 1 FROM outbox WHERE topic = 'fraud.cleared' AND envelope->>'aggregateId' = $1 AND published_at IS NOT NULL", [transferId]);
        return rows.length === 1;
      },
      { timeoutMs: 30_000, what: 'fraud.cleared published' },
    );

    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/faults/payments-crashing-payment-consumer.ts', transferId], {
      cwd: process.cwd(),
      env: { ...process.env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d.toString()));
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    expect(exit.signal).toBe('SIGKILL');
    const crash = out.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((l) => l.crashed);
    expect(crash).toMatchObject({ topic: 'fraud.cleared' });

    // The effect committed…
    expect((await call(api, payer.token, 'GET', `/v1/pix/transfers/${transferId}`)).body.status).toBe('COMPLETED');
    expect(await balanceOf(api, receiver)).toMatchObject({ posted: '42.00' });
    // …but the offset did not: Kafka will deliver the message again.
    expect(await committedOffset(crash.topic, crash.partition)).toBeLessThanOrEqual(BigInt(crash.offset));

    const env = await stackEnv();
    for (const inst of instancesOf(paymentConsumer)) await startInstance(inst, env);
    await eventually(async () => (await committedOffset(crash.topic, crash.partition)) > BigInt(crash.offset), {
      timeoutMs: 90_000,
      intervalMs: 1000,
      what: 'the restarted consumer committed past the redelivered message',
    });

    expect(await balanceOf(api, receiver)).toMatchObject({ posted: '42.00', available: '42.00' });
    expect(await balanceOf(api, payer)).toMatchObject({ posted: '58.00', reserved: '0.00' });
    const { rows: lines } = await api.rt.pool.query('SELECT direction FROM ledger_entries WHERE transfer_id = $1 ORDER BY direction', [transferId]);
    expect(lines).toEqual([{ direction: 'CREDIT' }, { direction: 'DEBIT' }]);
    const { rows: completed } = await api.rt.pool.query("SELECT 1 FROM outbox WHERE topic = 'pix.completed' AND envelope->>'aggregateId' = $1", [transferId]);
    expect(completed).toHaveLength(1);
  });
});
