// The two outbox commits that need not wait for a WAL flush, against the stack's PostgreSQL: the signal (a NOTIFY in a
// transaction of its own) and the relay's published mark. Each turns `synchronous_commit` off for its own transaction
// only: the pooled connection it ran on, which money transactions use next, is back to `on` right after.
import { databaseUrl, STACK_DEFAULTS } from '@krt/platform/config';
import { withTransaction } from '@krt/platform/persistence';
import { createKafka, OUTBOX_SIGNAL_SQL, OutboxRelay } from '@krt/platform/messaging';
import { createLogger } from '@krt/platform/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivateOutbox, writeUnconsumedRow, type PrivateOutbox } from '../../support/private-outbox';

const syncCommit = async (outbox: PrivateOutbox) => (await outbox.pool.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows[0]!.synchronous_commit;

describe('Outbox: asynchronous commits only where a lost commit loses nothing', () => {
  let outbox: PrivateOutbox;
  beforeAll(async () => {
    // One connection: every statement below runs on the connection the previous one used.
    outbox = await createPrivateOutbox('outboxasync', 1);
  });
  afterAll(async () => outbox?.drop());

  it('when the signal is sent, then its own transaction commits asynchronously and the connection goes back to synchronous commits', async () => {
    expect(await syncCommit(outbox)).toBe('on');
    const { rows } = await outbox.pool.query<{ set_config: string }>(OUTBOX_SIGNAL_SQL);
    expect(rows[0]!.set_config).toBe('off');
    expect(await syncCommit(outbox)).toBe('on');
  });

  it('when the relay publishes a batch, then the rows are marked published and the connection goes back to synchronous commits', async () => {
    const eventIds: string[] = [];
    await withTransaction(outbox.pool, async (client) => {
      for (let i = 0; i < 3; i += 1) eventIds.push(await writeUnconsumedRow(client, 'outbox-async'));
    });
    const relay = new OutboxRelay({
      pool: outbox.pool,
      connectionString: databaseUrl('postgres'),
      kafka: createKafka('outbox-async-test', STACK_DEFAULTS.kafkaBrokers),
      logger: createLogger('outbox-async-test', { level: 'warn' }),
      batchSize: 50,
      pollIntervalMs: 60_000,
    });
    try {
      expect(await relay.drainOnce()).toBe(3);
      const { rows } = await outbox.pool.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE event_id = ANY($1::uuid[]) AND published_at IS NOT NULL', [eventIds]);
      expect(Number(rows[0]!.n)).toBe(3);
      expect(await syncCommit(outbox)).toBe('on');
    } finally {
      await relay.stop();
    }
  });
});
