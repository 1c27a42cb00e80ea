import { randomInt, randomUUID } from 'node:crypto';
import { deadLetterTopic, TOPICS } from '@krt/contracts';
import { applyAccountCreated } from '@krt/payments';
import { createKafka } from '@krt/platform/messaging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountCreatedEnvelope, closeProducer, publish, startPaymentsApi, type TestApi } from './payments-test-kit';
import { generateCpf } from '@krt/domain';
import { eventually } from '@krt/testing';

describe('Account consumer', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startPaymentsApi({ relay: false });
  });
  afterAll(async () => {
    await closeProducer();
    await api?.close();
  });

  const event = () =>
    accountCreatedEnvelope({ customerId: randomUUID(), keycloakUserId: randomUUID(), fullName: 'Rita de Cássia Alves', cpf: generateCpf((n) => randomInt(n)).value, email: 'rita@teste.krt.dev' });

  it('when the same account.created is delivered twice, or a second event arrives for the customer, then exactly one account exists', async () => {
    const e = event();
    const first = await applyAccountCreated(api.rt.pool, e, new Date());
    expect(first).not.toBeNull();
    expect(await applyAccountCreated(api.rt.pool, e, new Date())).toBeNull();
    const again = await applyAccountCreated(api.rt.pool, { ...e, eventId: randomUUID() }, new Date());
    expect(again!.id).toBe(first!.id);
    const { rows } = await api.rt.pool.query('SELECT number FROM accounts WHERE customer_id = $1', [(e.payload as any).customerId]);
    expect(rows).toHaveLength(1);
    expect(rows[0].number).toMatch(/^\d{6}-\d$/);
  });

  it('when a poison account.created (payload breaks the schema) arrives, then after bounded retries it goes to account.created.dlt and later events still flow', async () => {
    const marker = randomUUID();
    const poison = { ...event(), aggregateId: marker, payload: { customerId: 'not-a-uuid', cpf: '123' } };
    const consumer = createKafka('payments-dlt-test', '127.0.0.1:9092').consumer({ groupId: `payments-dlt-test-${marker}` });
    await consumer.connect();
    await consumer.subscribe({ topic: deadLetterTopic(TOPICS.accountCreated), fromBeginning: true });
    const seen = new Promise<Record<string, string>>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          // Every consumer group of account.created dead-letters it on its own; wait for ours.
          const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
          if (message.value?.toString().includes(marker) && headers['dlt-group'] === 'payments.account-consumer') resolve(headers);
        },
      });
    });
    try {
      await publish(TOPICS.accountCreated, marker, poison as any);
      const headers = await Promise.race([seen, new Promise<never>((_, rej) => setTimeout(() => rej(new Error('no DLT message in 45 s')), 45_000))]);
      expect(headers['dlt-group']).toBe('payments.account-consumer');
      expect(headers['dlt-reason']).toBeTruthy();
      // The partition is not blocked: a good event published afterwards opens its account.
      const good = event();
      await publish(TOPICS.accountCreated, marker, good);
      const customerId = (good.payload as any).customerId;
      await eventually(async () => (await api.rt.pool.query('SELECT 1 FROM accounts WHERE customer_id = $1', [customerId])).rowCount === 1, { timeoutMs: 30_000, what: 'good event applied' });
    } finally {
      await consumer.disconnect();
    }
  });
});
