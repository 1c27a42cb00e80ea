// The stack's Notification consumer applies what Kafka hands it at once (handleBatch): one inbox claim, one read of the
// recipients, one publish of every message with one wait for the confirms. Real Kafka, RabbitMQ, worker and catcher.
import { TOPICS } from '@krt/contracts';
import { createKafka } from '@krt/platform/messaging';
import { eventually } from '@krt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logOffsets, logsSince } from '../observability/stack-kit';
import { accountCreated, closeDb, closeProducer, customerKnown, inApp, mailsTo, pixCompleted, publish, smsTo, testCustomer, type TestCustomer } from './notifications-test-kit';

const EVENTS = 12;
let payer: TestCustomer;
let receiver: TestCustomer;

beforeAll(async () => {
  payer = testCustomer('Pagadora Lote Teste');
  receiver = testCustomer('Recebedor Lote Teste');
  await publish(TOPICS.accountCreated, accountCreated(payer));
  await publish(TOPICS.accountCreated, accountCreated(receiver));
  await eventually(async () => (await customerKnown(payer.customerId)) && customerKnown(receiver.customerId), { timeoutMs: 45_000, what: 'contacts stored from account.created' });
}, 60_000);

afterAll(async () => {
  await closeProducer();
  await closeDb();
});

describe('notifications of a batch of Pix (the stack consumer’s batch path)', () => {
  it('when a dozen Pix (and a redelivery of one) arrive in one Kafka write, then they are handled as a batch and every customer gets each notification exactly once', async () => {
    const events = Array.from({ length: EVENTS }, (_, i) => pixCompleted(payer, receiver, String(100 + i)));
    const logStart = logOffsets();
    const producer = createKafka('notifications-batch-test', '127.0.0.1:9092').producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      // One produce request: the partition (the payer's account) gets them as one record batch, so one fetch sees all.
      await producer.send({ topic: TOPICS.pixCompleted, messages: [...events, events[0]!].map((e) => ({ key: e.aggregateId, value: JSON.stringify(e) })) });
    } finally {
      await producer.disconnect();
    }
    const ids = new Set(events.map((e) => e.eventId));
    const ofBatch = <T extends { event_id: string }>(rows: T[]) => rows.filter((r) => ids.has(r.event_id));
    await eventually(async () => ofBatch(await inApp(receiver.customerId)).length === EVENTS && ofBatch(await inApp(payer.customerId)).length === EVENTS, { timeoutMs: 60_000, what: 'every in-app notification' });
    const mailEvent = (m: { messageId: string | null }) => m.messageId?.slice(1, 37) ?? '';
    await eventually(async () => (await mailsTo(receiver.email)).filter((m) => ids.has(mailEvent(m))).length >= EVENTS, { timeoutMs: 60_000, what: 'every receiver e-mail' });
    await eventually(async () => (await smsTo(payer.phone)).filter((s) => ids.has(s.idempotencyKey.split(':')[0]!)).length >= EVENTS, { timeoutMs: 60_000, what: 'every payer SMS' });
    // A little longer: a second copy (e.g. of the redelivered event) would show up now.
    await new Promise((r) => setTimeout(r, 1500));

    for (const customer of [payer, receiver]) {
      const notes = ofBatch(await inApp(customer.customerId));
      expect(notes).toHaveLength(EVENTS);
      expect(new Set(notes.map((n) => n.event_id)).size).toBe(EVENTS);
      const mails = (await mailsTo(customer.email)).filter((m) => ids.has(mailEvent(m)));
      expect(mails).toHaveLength(EVENTS);
      expect(new Set(mails.map(mailEvent)).size).toBe(EVENTS);
      const sms = (await smsTo(customer.phone)).filter((s) => ids.has(s.idempotencyKey.split(':')[0]!));
      expect(sms).toHaveLength(EVENTS);
    }
    // The consumer took the batch path: an "events handled" line for several events at once.
    const lines = (logsSince(logStart).get('notification-consumer') ?? '')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg?: string; events?: number });
    expect(lines.some((l) => l.msg === 'events handled' && (l.events ?? 0) > 1)).toBe(true);
  });
});
