// The outbox relay under a broker crash (kill -9) while it is publishing (the bank-invariant run once left a relay
// that never published again after Kafka came back). A writer keeps adding outbox rows before, during and after the
// stop; every row must be published once Kafka is back, by the same relay, without restarting anything.
import { TOPICS } from '@krt/contracts';
import { STACK_DEFAULTS } from '@krt/platform/config';
import { withTransaction } from '@krt/platform/persistence';
import { createKafka, enqueue, OutboxRelay } from '@krt/platform/messaging';
import { createLogger } from '@krt/platform/telemetry';
import { eventually } from '@krt/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPONENTS } from '../../scripts/stack.mjs';
import { createPrivateOutbox, type PrivateOutbox } from '../support/private-outbox';

const kafka = COMPONENTS.find((c) => c.name === 'kafka')!;
// A topic no service consumes: the stack's own health-check topic.
const TOPIC = 'stack.healthcheck';

describe('Outbox relay through a Kafka crash that hits it mid-publish', () => {
  let outbox: PrivateOutbox;
  let relay: OutboxRelay;

  beforeAll(async () => {
    outbox = await createPrivateOutbox('relayfault');
    relay = new OutboxRelay({
      pool: outbox.pool,
      connectionString: outbox.url,
      kafka: createKafka('relay-fault-test', STACK_DEFAULTS.kafkaBrokers),
      logger: createLogger('relay-fault-test', { level: 'warn' }),
      batchSize: 20,
      pollIntervalMs: 100,
      sendTimeoutMs: 8000,
    });
    await relay.start();
  });
  afterAll(async () => {
    if (!kafka.pid()) await kafka.start();
    await relay?.stop();
    await outbox?.drop();
  });

  /** Adds `perTick` rows every 25 ms until `until()` says stop; returns how many it wrote. */
  async function writeWhile(until: () => boolean, perTick = 4): Promise<number> {
    let written = 0;
    while (!until()) {
      await withTransaction(outbox.pool, async (client) => {
        for (let i = 0; i < perTick; i++) {
          const env = await enqueue(client, {
            topic: TOPICS.fraudCleared,
            key: `relay-fault-${written % 7}`,
            aggregateId: `relay-fault-${randomUUID()}`,
            correlationId: randomUUID(),
            payload: { transferId: randomUUID(), payer: { customerId: randomUUID(), accountId: randomUUID() }, decision: 'APPROVED', score: 0, reasons: [] },
          });
          await client.query('UPDATE outbox SET topic = $2 WHERE event_id = $1', [env.eventId, TOPIC]);
          written += 1;
        }
      });
      await new Promise((r) => setTimeout(r, 25));
    }
    return written;
  }

  const unpublished = async () => (await outbox.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL')).rows[0]!.n;

  it('when Kafka is killed while rows are being published and comes back, then every row written before, during and after is published by the same relay', async () => {
    let phase: 'before' | 'outage' | 'after' | 'done' = 'before';
    const writer = writeWhile(() => phase === 'done');

    // Publishing works before the fault.
    await eventually(async () => relay.published >= 40, { timeoutMs: 20_000, what: 'relay publishing before the fault' });
    phase = 'outage';
    // kill -9: in-flight produce requests may have been appended by the broker without the relay seeing the ack.
    process.kill(kafka.pid()!, 'SIGKILL');
    await eventually(async () => !kafka.pid(), { timeoutMs: 10_000, what: 'Kafka gone' });
    await new Promise((r) => setTimeout(r, 6000));
    // The rows written while the broker is away wait in the outbox.
    expect(await unpublished()).toBeGreaterThan(0);
    await kafka.start();
    phase = 'after';
    await new Promise((r) => setTimeout(r, 5000));
    phase = 'done';
    const written = await writer;

    await eventually(async () => (await unpublished()) === 0, { timeoutMs: 90_000, intervalMs: 1000, what: 'every outbox row published after Kafka returned' });
    const { rows } = await outbox.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NOT NULL');
    expect(rows[0]!.n).toBe(written);
    expect(relay.published).toBe(written);
    // The outage really reached the relay: at least one send failed and its producer was replaced.
    expect(relay.producerResets).toBeGreaterThan(0);
  });
});
