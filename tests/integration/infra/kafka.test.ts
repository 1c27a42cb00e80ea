import { STACK_DEFAULTS } from '@krt/platform/config';
import { createKafka } from '@krt/platform/messaging';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';

describe('Kafka (real KRaft broker on 9092)', () => {
  it('when a message is produced with kafkajs, then a consumer group receives it with its key and headers', async () => {
    const kafka = createKafka('infra-test', STACK_DEFAULTS.kafkaBrokers);
    const admin = kafka.admin();
    await admin.connect();
    const metadata = await admin.fetchTopicMetadata({ topics: ['pix.initiated'] });
    expect(metadata.topics[0]!.partitions.length).toBeGreaterThan(1);
    await admin.disconnect();

    const marker = randomUUID();
    const consumer = kafka.consumer({ groupId: `infra-test-${marker}` });
    const producer = kafka.producer();
    await Promise.all([consumer.connect(), producer.connect()]);
    try {
      await consumer.subscribe({ topic: 'stack.healthcheck', fromBeginning: false });
      const received = new Promise<{ key: string; header: string }>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) => {
            if (message.value?.toString() === marker) resolve({ key: message.key!.toString(), header: message.headers!['x-test']!.toString() });
          },
        });
      });
      const deadline = Date.now() + 30_000;
      let got: { key: string; header: string } | undefined;
      received.then((r) => (got = r));
      while (!got && Date.now() < deadline) {
        await producer.send({ topic: 'stack.healthcheck', messages: [{ key: 'acc-1', value: marker, headers: { 'x-test': 'yes' } }] });
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(got).toEqual({ key: 'acc-1', header: 'yes' });
    } finally {
      await Promise.allSettled([consumer.disconnect(), producer.disconnect()]);
    }
  });
});
