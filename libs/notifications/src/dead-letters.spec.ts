import { describe, expect, it } from 'vitest';
import { kafkaDeadLetterId, parseDeadLetterId, rabbitDeadLetterId } from './dead-letters';

describe('dead-letter ids', () => {
  it('when a Kafka record id is made, then it is URL-safe and parses back to its topic, partition and offset', () => {
    const id = kafkaDeadLetterId('account.created.dlt', 3, '1234');
    expect(id).toMatch(/^kafka-[A-Za-z0-9_-]+$/);
    expect(parseDeadLetterId(id)).toEqual({ source: 'kafka', topic: 'account.created.dlt', partition: 3, offset: '1234' });
  });

  it('when a RabbitMQ message id is made, then the failure time is part of it (a message dead-lettered again is a new dead letter)', () => {
    const a = rabbitDeadLetterId('e:email:c', '2026-12-07T02:00:00.000Z');
    const b = rabbitDeadLetterId('e:email:c', '2026-12-07T02:05:00.000Z');
    expect(a).not.toBe(b);
    expect(parseDeadLetterId(a)).toEqual({ source: 'rabbitmq', messageId: 'e:email:c', failedAt: '2026-12-07T02:00:00.000Z' });
    expect(parseDeadLetterId(rabbitDeadLetterId('x', undefined))).toEqual({ source: 'rabbitmq', messageId: 'x', failedAt: null });
  });

  it('when an id is malformed or names a topic that is not a dead-letter topic, then it is refused', () => {
    for (const id of ['', 'kafka-', 'sqs-eA', 'kafka-!!', kafkaDeadLetterId('account.created', 0, '1'), `kafka-${Buffer.from('["a.dlt",0,"-1"]').toString('base64url')}`, `kafka-${Buffer.from('{}').toString('base64url')}`]) {
      expect(parseDeadLetterId(id), id).toBeUndefined();
    }
  });
});
