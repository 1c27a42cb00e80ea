// In-app notifications are also pushed to the BFF's live exchange `krt.live` (routing key customer.<id>).
import { TOPICS } from '@krt/contracts';
import { publishNotificationsFor, upsertCustomer, type NotifiableEvent } from '@krt/notifications';
import { eventually } from '@krt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inApp, isolatedPipeline, NBSP, pixCompleted, testCustomer, type IsolatedPipeline } from './notifications-test-kit';

describe('live in-app notifications for the BFF', () => {
  let p: IsolatedPipeline;
  beforeAll(async () => {
    p = await isolatedPipeline();
    await p.startWorker();
  });
  afterAll(async () => {
    await p?.close();
  });

  it('when an in-app notification is stored, then { customerId, notification } (with the transfer it opens) is published to krt.live for that customer only', async () => {
    const payer = testCustomer('Laura Viva Nunes');
    const receiver = testCustomer('Otto Vivo Prado');
    await upsertCustomer(p.pool, payer);
    await upsertCustomer(p.pool, receiver);

    const conn = await p.amqp.current();
    const ch = await conn.createChannel();
    await ch.assertExchange('krt.live', 'topic', { durable: true });
    const { queue } = await ch.assertQueue('', { exclusive: true, autoDelete: true });
    await ch.bindQueue(queue, 'krt.live', `customer.${receiver.customerId}`);
    const received: Array<{ routingKey: string; body: any }> = [];
    await ch.consume(queue, (m) => m && received.push({ routingKey: m.fields.routingKey, body: JSON.parse(m.content.toString()) }), { noAck: true });

    const env = pixCompleted(payer, receiver, '99990');
    await publishNotificationsFor(p, p.pool, env, { type: TOPICS.pixCompleted, payload: env.payload } as NotifiableEvent);
    const live = await eventually(async () => received[0], { what: 'live notification' });
    const [stored] = await inApp(receiver.customerId);
    expect(live.routingKey).toBe(`customer.${receiver.customerId}`);
    expect(live.body).toEqual({
      customerId: receiver.customerId,
      notification: {
        id: stored!.id,
        title: 'Pix recebido',
        body: `Você recebeu um Pix de R$${NBSP}999,90 de Laura N.`,
        kind: 'PIX_RECEIVED',
        createdAt: env.occurredAt,
        transferId: (env.payload as { transferId: string }).transferId,
      },
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(received).toHaveLength(1); // the payer's notification went to customer.<payer>, not here
    await ch.close();
  });
});
