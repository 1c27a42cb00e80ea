// Reads a topic from the beginning with a throw-away consumer group and keeps every envelope it sees.
import type { Envelope } from '@krt/contracts';
import { createKafka } from '@krt/platform/messaging';
import { randomUUID } from 'node:crypto';

export async function probeTopic(topic: string) {
  const kafka = createKafka(`test-probe-${randomUUID().slice(0, 8)}`, '127.0.0.1:9092');
  const consumer = kafka.consumer({ groupId: `test-probe-${randomUUID()}`, sessionTimeout: 10_000 });
  const seen: { key: string | undefined; envelope: Envelope<any> }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      seen.push({ key: message.key?.toString(), envelope: JSON.parse(message.value?.toString() ?? '{}') });
    },
  });
  return { seen, stop: () => consumer.disconnect() };
}
