// The consumer base's batch path (issue #16) against the real Kafka: messages already waiting are handed to
// `handleBatch` together (a lone message goes through `handle`); an invalid envelope goes to the dead-letter topic before the batch; a batch that throws
// is applied again one message at a time, so only the poison message is dead-lettered; offsets are committed after.
import { deadLetterTopic, type Envelope } from '@krt/contracts';
import { STACK_DEFAULTS } from '@krt/platform/config';
import { startConsumer, type BatchItem, type RunningConsumer, createKafka } from '@krt/platform/messaging';
import { createLogger } from '@krt/platform/telemetry';
import { eventually } from '@krt/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const id = randomUUID().slice(0, 8);
const TOPIC = `test.consumer-batch.${id}`;
const DLT = deadLetterTopic(TOPIC);
const GROUP = `test-consumer-batch-${id}`;
const kafka = createKafka('consumer-batch-test', STACK_DEFAULTS.kafkaBrokers);
const logger = createLogger('consumer-batch-test', { level: 'error' });

const envelope = (n: number, aggregateId = `agg-${n}`): Envelope => ({
  eventId: randomUUID(),
  type: TOPIC,
  occurredAt: new Date().toISOString(),
  aggregateId,
  correlationId: `batch-${id}-${n}`,
  schemaVersion: 1,
  payload: { n },
});

describe('Consumer base: batches from Kafka (real Kafka)', () => {
  const admin = kafka.admin();
  let running: RunningConsumer | undefined;
  const batches: BatchItem[][] = [];
  const appliedInBatch: string[] = [];
  const appliedAlone: string[] = [];
  const poisonAttempts: number[] = [];
  const sent: Envelope[] = [];

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [TOPIC, DLT].map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })) });
    // 40 messages wait before the consumer starts: one invalid envelope (5th) and one poison message (25th).
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const messages = Array.from({ length: 40 }, (_, n) => {
      if (n === 4) return { key: 'k', value: '{"not":"an envelope"}' };
      const e = envelope(n, n === 24 ? 'poison' : `agg-${n}`);
      sent.push(e);
      return { key: 'k', value: JSON.stringify(e) };
    });
    await producer.send({ topic: TOPIC, messages });
    await producer.disconnect();
  }, 60_000);

  afterAll(async () => {
    await running?.stop();
    await admin.deleteGroups([GROUP]).catch(() => undefined);
    await admin.deleteTopics({ topics: [TOPIC, DLT] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('when 40 messages wait, then they are applied in batches, the poison one alone goes to the dead-letter topic with the invalid one, each other message is applied once and the offsets are committed', async () => {
    running = await startConsumer({
      kafka,
      groupId: GROUP,
      topics: [TOPIC],
      logger,
      maxAttempts: 2,
      retryDelayMs: 10,
      maxBatchSize: 16,
      handleBatch: async (items) => {
        batches.push(items);
        if (items.some((i) => i.envelope.aggregateId === 'poison')) throw new Error('poison in the batch');
        appliedInBatch.push(...items.map((i) => i.envelope.eventId));
      },
      handle: async (e, ctx) => {
        if (e.aggregateId === 'poison') {
          poisonAttempts.push(ctx.attempt);
          throw new Error('poison');
        }
        appliedAlone.push(e.eventId);
      },
    });
    const valid = sent.filter((e) => e.aggregateId !== 'poison').map((e) => e.eventId);
    await eventually(async () => appliedInBatch.length + appliedAlone.length >= valid.length && poisonAttempts.length === 2, { timeoutMs: 30_000, what: 'every message handled' });

    // Batched: no batch above the maximum, several messages per batch, in offset order.
    expect(batches.every((b) => b.length <= 16)).toBe(true);
    expect(batches.some((b) => b.length > 1)).toBe(true);
    for (const b of batches) expect(b.map((i) => Number(i.ctx.offset))).toEqual([...b.map((i) => Number(i.ctx.offset))].sort((x, y) => x - y));
    // The invalid envelope never reached a handler.
    expect(batches.flat().some((i) => Number(i.ctx.offset) === 4)).toBe(false);
    // Every valid message applied exactly once; the poison's batch-mates one at a time.
    expect([...appliedInBatch, ...appliedAlone].sort()).toEqual([...valid].sort());
    const poisonBatch = batches.find((b) => b.some((i) => i.envelope.aggregateId === 'poison'))!;
    // (A fetch that brought a single message also goes through `handle`.)
    expect(appliedAlone).toEqual(expect.arrayContaining(poisonBatch.filter((i) => i.envelope.aggregateId !== 'poison').map((i) => i.envelope.eventId)));
    expect(appliedAlone.length).toBeLessThan(valid.length - 10);
    expect(poisonAttempts).toEqual([1, 2]);

    // The dead-letter topic holds exactly the invalid envelope and the poison message.
    const dlt: { value: string; reason: string }[] = [];
    const reader = kafka.consumer({ groupId: `${GROUP}-dlt` });
    await reader.connect();
    await reader.subscribe({ topic: DLT, fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void dlt.push({ value: message.value!.toString(), reason: String(message.headers?.['dlt-reason']) }) });
    await eventually(async () => dlt.length >= 2, { timeoutMs: 30_000, what: 'dead-lettered messages' });
    await reader.disconnect();
    await admin.deleteGroups([`${GROUP}-dlt`]).catch(() => undefined);
    expect(dlt).toHaveLength(2);
    expect(dlt.find((m) => m.reason.startsWith('invalid envelope'))?.value).toBe('{"not":"an envelope"}');
    expect(dlt.find((m) => m.reason === 'poison')?.value).toContain('"aggregateId":"poison"');

    // Offsets committed past the last message.
    await eventually(
      async () => {
        const [offsets] = await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
        return offsets!.partitions[0]!.offset === '40';
      },
      { timeoutMs: 15_000, what: 'offsets committed' },
    );
  });
});
