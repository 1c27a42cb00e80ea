// RabbitMQ is stopped and started again while Pix notifications flow through the stack's notification consumer and
// worker: nothing is lost (durable queues, persistent messages, publisher confirms) and nothing arrives twice.
import { TOPICS } from '@krt/contracts';
import { eventually } from '@krt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPONENTS } from '../../scripts/stack.mjs';
import { accountCreated, closeDb, closeProducer, customerKnown, inApp, mailsTo, pixCompleted, publish, testCustomer, type TestCustomer } from '../integration/notifications/notifications-test-kit';

const rabbitmq = COMPONENTS.find((c) => c.name === 'rabbitmq')!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const EVENTS = 15;

describe('RabbitMQ restarted while notifications flow', () => {
  let payer: TestCustomer;
  let receiver: TestCustomer;

  beforeAll(async () => {
    payer = testCustomer('Paulo Persistente Reis');
    receiver = testCustomer('Rita Resiliente Luz');
    await publish(TOPICS.accountCreated, accountCreated(payer));
    await publish(TOPICS.accountCreated, accountCreated(receiver));
    await eventually(async () => (await customerKnown(payer.customerId)) && customerKnown(receiver.customerId), { timeoutMs: 30_000, what: 'contacts' });
  });
  afterAll(async () => {
    if (!rabbitmq.pid()) await rabbitmq.start();
    await closeProducer();
    await closeDb();
  });

  it('when RabbitMQ stops and starts in the middle of a stream of Pix events, then every notification arrives exactly once', async () => {
    const events: string[] = [];
    for (let i = 0; i < EVENTS; i++) {
      const e = pixCompleted(payer, receiver, String(10_000 + i));
      events.push(e.eventId);
      await publish(TOPICS.pixCompleted, e);
      if (i === 4) {
        await stopped(rabbitmq.stop());
      } else if (i === 9) {
        await rabbitmq.start();
      } else {
        await sleep(300);
      }
    }
    expect(await rabbitmq.healthy()).toBe(true);

    const messageIdsOf = async (address: string) => (await mailsTo(address)).map((m) => m.messageId ?? '').filter((id) => events.some((e) => id.startsWith(`<${e}.`)));
    await eventually(async () => (await messageIdsOf(receiver.email)).length >= EVENTS && (await messageIdsOf(payer.email)).length >= EVENTS, {
      timeoutMs: 150_000,
      intervalMs: 1000,
      what: `${EVENTS} e-mails for each customer`,
    });
    await eventually(async () => (await inApp(receiver.customerId)).filter((n) => events.includes(n.event_id)).length >= EVENTS, { timeoutMs: 60_000, what: 'in-app' });
    await sleep(3000);

    for (const address of [payer.email, receiver.email]) {
      const ids = await messageIdsOf(address);
      expect(ids).toHaveLength(EVENTS);
      expect(new Set(ids).size).toBe(EVENTS);
    }
    const received = (await inApp(receiver.customerId)).filter((n) => events.includes(n.event_id));
    expect(received).toHaveLength(EVENTS);
    expect(new Set(received.map((n) => n.event_id)).size).toBe(EVENTS);
  });
});

async function stopped(p: Promise<boolean>) {
  expect(await p).toBe(true);
}
