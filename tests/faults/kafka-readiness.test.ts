import { STACK_DEFAULTS } from '@krt/platform/config';
import { startConsumer, type RunningConsumer, createKafka } from '@krt/platform/messaging';
import { createLogger } from '@krt/platform/telemetry';
import { eventually } from '@krt/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { COMPONENTS } from '../../scripts/stack.mjs';

const kafka = COMPONENTS.find((c) => c.name === 'kafka')!;
const TOPIC = 'test.late-consumer';

async function ready(port: number) {
  const res = await fetch(`http://127.0.0.1:${port}/ready`);
  return { status: res.status, body: (await res.json()) as { down: string[] } };
}

describe('readiness follows Kafka down and up, without restarting any app', () => {
  let late: RunningConsumer | undefined;
  afterAll(async () => {
    if (!kafka.pid()) await kafka.start();
    await late?.stop();
  });

  it('when Kafka stops, /ready answers 503 naming kafka within 2 s, and a consumer started meanwhile waits for it; when it is back, /ready recovers and that consumer consumes', async () => {
    expect((await ready(5000)).status).toBe(200);
    // The late consumer's own topic (and its dead-letter topic), so it reads nothing but this test's message.
    const client = createKafka('late-consumer-test', STACK_DEFAULTS.kafkaBrokers);
    const admin = client.admin();
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const topics = [TOPIC, `${TOPIC}.dlt`].filter((t) => !existing.has(t));
    if (topics.length) await admin.createTopics({ waitForLeaders: true, topics: topics.map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })) });
    await admin.disconnect();
    await kafka.stop();
    const stoppedAt = Date.now();
    for (const port of [5002, 5001, 5000]) {
      const r = await ready(port);
      expect(r.status, `port ${port}`).toBe(503);
      expect(r.body.down).toContain('kafka');
    }
    expect(Date.now() - stoppedAt).toBeLessThan(2 * 3000); // three probes, each under two seconds
    const t0 = Date.now();
    await ready(5002);
    expect(Date.now() - t0).toBeLessThan(2000);

    // A consumer process (re)started during the outage waits for the broker instead of exiting.
    const seen: string[] = [];
    const group = `late-consumer-${randomUUID().slice(0, 8)}`;
    let settled = false;
    const starting = startConsumer({
      kafka: client,
      groupId: group,
      topics: [TOPIC],
      fromBeginning: false,
      logger: createLogger('late-consumer-test', { level: 'silent' }),
      handle: async (envelope) => void seen.push(envelope.eventId),
    }).finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 3000));
    expect(settled, 'start-up still waiting for Kafka').toBe(false);

    await kafka.start();
    for (const port of [5002, 5001, 5000]) {
      await eventually(async () => (await ready(port)).status === 200, { timeoutMs: 30_000, what: `port ${port} ready again` });
    }
    late = await starting;
    await eventually(async () => (await late!.consumer.describeGroup()).state === 'Stable', { timeoutMs: 30_000, what: 'late consumer joined its group' });
    const marker = randomUUID();
    const producer = client.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const envelope = { eventId: marker, type: TOPIC, occurredAt: new Date().toISOString(), aggregateId: 'late', correlationId: marker, schemaVersion: 1, payload: {} };
    await producer.send({ topic: TOPIC, messages: [{ key: 'late', value: JSON.stringify(envelope) }] });
    await producer.disconnect();
    await eventually(async () => seen.includes(marker), { timeoutMs: 30_000, what: 'late consumer received the message' });
  });
});
