// How often the relay drains: a partial batch is one drain (no second, empty one after it: anything committed later
// signals); a full batch is drained again at once, until a partial one. Each drain is a transaction and a Kafka
// request, so an empty drain per batch cost about a third of the relay's work under load (bench, issue #21).
import { databaseUrl, STACK_DEFAULTS } from '@krt/platform/config';
import { withTransaction } from '@krt/platform/persistence';
import { createKafka, OutboxRelay } from '@krt/platform/messaging';
import { createLogger } from '@krt/platform/telemetry';
import { eventually } from '@krt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivateOutbox, writeUnconsumedRow, type PrivateOutbox } from '../../support/private-outbox';

/** `n` outbox rows in one transaction, on the stack's health-check topic (no service consumes it). */
async function writeRows(outbox: PrivateOutbox, n: number): Promise<void> {
  await withTransaction(outbox.pool, async (client) => {
    for (let i = 0; i < n; i += 1) await writeUnconsumedRow(client, 'relay-drains');
  });
}

const unpublished = async (outbox: PrivateOutbox) => Number((await outbox.pool.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE published_at IS NULL')).rows[0]!.n);

describe('Outbox relay: drains per signal', () => {
  let outbox: PrivateOutbox;
  beforeAll(async () => {
    outbox = await createPrivateOutbox('relaydrains');
  });
  afterAll(async () => outbox?.drop());

  const relayWith = (batchSize: number) =>
    new OutboxRelay({
      pool: outbox.pool,
      // LISTEN where no outbox is written: NOTIFY is per database, and the other test files' writers signal the
      // payments database's channel, which would wake this relay into extra, empty drains. The test's own commits wake
      // it in process (its pool), so every drain counted here comes from this test.
      connectionString: databaseUrl('postgres'),
      kafka: createKafka('relay-drains-test', STACK_DEFAULTS.kafkaBrokers),
      logger: createLogger('relay-drains-test', { level: 'warn' }),
      batchSize,
      // No poll during the test: every drain comes from a signal.
      pollIntervalMs: 60_000,
    });

  it('when a transaction commits fewer rows than a batch, then the relay publishes them in one drain and does not drain again', async () => {
    const relay = relayWith(50);
    await relay.start();
    try {
      await eventually(async () => ((await unpublished(outbox)) === 0 ? true : undefined), { timeoutMs: 10_000, what: 'an empty outbox at start' });
      await new Promise((r) => setTimeout(r, 300));
      const before = relay.drains;
      await writeRows(outbox, 3);
      await eventually(async () => ((await unpublished(outbox)) === 0 ? true : undefined), { timeoutMs: 5000, what: 'the three rows published' });
      await new Promise((r) => setTimeout(r, 500));
      expect(relay.drains - before).toBe(1);
      expect(relay.published).toBe(3);
    } finally {
      await relay.stop();
    }
  });

  it('when more rows wait than a batch holds, then the relay drains again at once until a partial batch, without a poll', async () => {
    const relay = relayWith(2);
    await relay.start();
    try {
      await new Promise((r) => setTimeout(r, 300));
      const before = relay.drains;
      await writeRows(outbox, 5);
      // Well under the 60 s poll: only the full batches' immediate re-drains can publish all five.
      await eventually(async () => ((await unpublished(outbox)) === 0 ? true : undefined), { timeoutMs: 5000, what: 'the five rows published' });
      await new Promise((r) => setTimeout(r, 500));
      expect(relay.drains - before).toBe(3);
      expect(relay.published).toBe(5);
    } finally {
      await relay.stop();
    }
  });
});
