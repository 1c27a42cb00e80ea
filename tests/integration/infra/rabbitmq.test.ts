import { STACK_DEFAULTS } from '@krt/platform/config';
import { amqp } from '@krt/platform/messaging';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('RabbitMQ (real server on 5672)', () => {
  let connection: amqp.ChannelModel;
  beforeAll(async () => {
    connection = await amqp.connect(STACK_DEFAULTS.amqpUrl);
  });
  afterAll(() => connection.close());

  it('when a persistent message is published with confirms, then a consumer receives it and acks it', async () => {
    const channel = await connection.createConfirmChannel();
    const queue = `test.${randomUUID()}`;
    await channel.assertQueue(queue, { durable: false, autoDelete: true });
    const body = JSON.stringify({ id: randomUUID() });
    await new Promise<void>((resolve, reject) => channel.sendToQueue(queue, Buffer.from(body), { persistent: true }, (err) => (err ? reject(err) : resolve())));
    const received = await new Promise<string>((resolve) => {
      void channel.consume(queue, (msg) => {
        if (!msg) return;
        channel.ack(msg);
        resolve(msg.content.toString());
      });
    });
    expect(received).toBe(body);
    const check = await channel.checkQueue(queue);
    expect(check.messageCount).toBe(0);
    await channel.close();
  });
});
