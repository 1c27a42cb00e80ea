// An event whose payload never validates is a poison message: the Notification consumer sends it to the topic's
// dead-letter topic at once (with the reason) and goes on with the next events.
import { deadLetterTopic, TOPICS } from '@krt/contracts';
import { createKafka } from '@krt/platform/messaging';
import { eventually } from '@krt/testing';
import { randomUUID } from 'node:crypto';
import type { Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountCreated, closeDb, closeProducer, customerKnown, envelope, publish, testCustomer } from './notifications-test-kit';

describe('poison events', () => {
  let consumer: Consumer;
  const seen: Array<{ eventId: string; reason: string; group: string }> = [];

  beforeAll(async () => {
    consumer = createKafka('notifications-test-dlt', '127.0.0.1:9092').consumer({ groupId: `notifications-test-dlt-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic: deadLetterTopic(TOPICS.pixCompleted), fromBeginning: false });
    let joined!: () => void;
    const ready = new Promise<void>((r) => (joined = r));
    consumer.on(consumer.events.GROUP_JOIN, () => joined());
    await consumer.run({
      eachMessage: async ({ message }) => {
        const body = JSON.parse(message.value?.toString() ?? '{}') as { eventId?: string };
        seen.push({ eventId: body.eventId ?? '', reason: message.headers?.['dlt-reason']?.toString() ?? '', group: message.headers?.['dlt-group']?.toString() ?? '' });
      },
    });
    await ready;
  });
  afterAll(async () => {
    await consumer?.disconnect();
    await closeProducer();
    await closeDb();
  });

  it('when a pix.completed payload is invalid, then it goes to pix.completed.dlt with its reason and later events still flow', async () => {
    const poison = envelope(TOPICS.pixCompleted, randomUUID(), { transferId: 'not-a-uuid', amountCentavos: 12.5 });
    await publish(TOPICS.pixCompleted, poison);
    const dead = await eventually(async () => seen.find((s) => s.eventId === poison.eventId), { timeoutMs: 45_000, what: 'poison message in the DLT' });
    expect(dead).toMatchObject({ reason: 'payload does not match its schema', group: 'notifications.notification-consumer' });

    const next = testCustomer();
    await publish(TOPICS.accountCreated, accountCreated(next));
    await eventually(() => customerKnown(next.customerId), { timeoutMs: 45_000, what: 'next event handled' });
  });
});
