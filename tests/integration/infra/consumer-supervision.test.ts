// kafkajs leaves a consumer stopped for good after a crash it deems non-retriable (a TypeError out of the message
// callback, a protocol error flagged non-retriable while the broker restarts) while the process lives on: its topics
// silently stop being consumed. The consumer base's supervisor (superviseConsumer) runs such a consumer again.
// Real Kafka; the crash is a TypeError thrown once from the callback, kafkajs' own non-retriable path. An idle, healthy
// consumer is not mistaken for a stalled one (the stall policy itself: libs/platform/src/messaging/consumer-supervision.spec.ts).
import { STACK_DEFAULTS } from '@krt/platform/config';
import { superviseConsumer, createKafka } from '@krt/platform/messaging';
import { createLogger } from '@krt/platform/telemetry';
import { eventually } from '@krt/testing';
import type { Consumer, ConsumerCrashEvent } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const id = randomUUID().slice(0, 8);
const TOPIC = `test.consumer-supervision.${id}`;
const kafka = createKafka('consumer-supervision-test', STACK_DEFAULTS.kafkaBrokers);
const logger = createLogger('consumer-supervision-test', { level: 'fatal' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A consumer whose callback throws a TypeError on its first message, then records what it sees. */
async function crashingOnce(group: string) {
  const consumer = kafka.consumer({ groupId: group, retry: { retries: 1, initialRetryTime: 100 } });
  const seen: string[] = [];
  const crashes: ConsumerCrashEvent['payload'][] = [];
  consumer.on(consumer.events.CRASH, ({ payload }) => void crashes.push(payload));
  let thrown = false;
  const runConfig = {
    eachMessage: async ({ message }: { message: { value: Buffer | null } }) => {
      if (!thrown) {
        thrown = true;
        throw new TypeError('a bug in the handler');
      }
      seen.push(message.value!.toString());
    },
  };
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  return { consumer, seen, crashes, runConfig };
}

describe('Consumer supervision (real Kafka)', () => {
  const admin = kafka.admin();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  const consumers: Consumer[] = [];

  beforeAll(async () => {
    await Promise.all([admin.connect(), producer.connect()]);
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: TOPIC, numPartitions: 1, replicationFactor: 1 }] });
    await producer.send({ topic: TOPIC, messages: [{ value: 'first' }, { value: 'second' }] });
  }, 60_000);

  afterAll(async () => {
    for (const c of consumers) await c.disconnect().catch(() => undefined);
    await admin.deleteTopics({ topics: [TOPIC] }).catch(() => undefined);
    await Promise.all([admin.disconnect(), producer.disconnect()]);
  });

  it('when the callback throws a TypeError, then kafkajs alone leaves the consumer stopped and nothing more is consumed', async () => {
    const c = await crashingOnce(`test-unsupervised-${id}`);
    consumers.push(c.consumer);
    await c.consumer.run(c.runConfig);
    await eventually(async () => c.crashes.length > 0, { timeoutMs: 30_000, what: 'the crash' });
    expect(c.crashes[0]!.restart).toBe(false);
    await sleep(3000);
    expect(c.seen).toEqual([]);
    expect(c.crashes).toHaveLength(1);
  });

  it('when the same crash happens under the supervisor, then the consumer runs again and consumes every message', async () => {
    const c = await crashingOnce(`test-supervised-${id}`);
    consumers.push(c.consumer);
    const supervisor = superviseConsumer(c.consumer, c.runConfig, logger, `test-supervised-${id}`, { firstDelayMs: 200 });
    try {
      await c.consumer.run(c.runConfig);
      await eventually(async () => c.seen.length === 2, { timeoutMs: 30_000, what: 'both messages after the restart' });
      expect(c.crashes.map((x) => x.restart)).toEqual([false]);
      expect(c.seen).toEqual(['first', 'second']);
      // Joined its group again: the count of consecutive crashes starts over.
      expect(supervisor.crashes).toBe(0);
    } finally {
      supervisor.stop();
    }
  });

  it('when a healthy consumer has nothing to read for longer than the stall time, then its fetches keep it alive and it is not restarted', async () => {
    const group = `test-idle-${id}`;
    const consumer = kafka.consumer({ groupId: group });
    consumers.push(consumer);
    let joins = 0;
    let stops = 0;
    consumer.on(consumer.events.GROUP_JOIN, () => void joins++);
    consumer.on(consumer.events.STOP, () => void stops++);
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: false });
    const runConfig = { eachMessage: async () => undefined };
    const supervisor = superviseConsumer(consumer, runConfig, logger, group, { stallMs: 15_000 });
    try {
      await consumer.run(runConfig);
      await eventually(async () => joins === 1, { timeoutMs: 30_000, what: 'joined' });
      await sleep(20_000);
      expect(stops).toBe(0);
      expect(joins).toBe(1);
    } finally {
      supervisor.stop();
    }
  });
});
