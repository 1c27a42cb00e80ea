// Outbox commits without NOTIFY: a transaction that opts out (SKIP_OUTBOX_NOTIFY) sends none, every other one still
// does (migration 1796600000000_outbox-notify-opt-out); after the commit the writer calls signalOutbox, which wakes a
// relay of the same process directly, and otherwise sends one coalesced NOTIFY outside the transaction.
import { TOPICS } from '@krt/contracts';
import { STACK_DEFAULTS } from '@krt/platform/config';
import { createPool, type Pool, type PoolClient } from '@krt/platform/persistence';
import { createKafka, enqueue, OutboxRelay, signalOutbox, SKIP_OUTBOX_NOTIFY } from '@krt/platform/messaging';
import { createLogger } from '@krt/platform/telemetry';
import { eventually } from '@krt/testing';
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivateOutbox, type PrivateOutbox } from '../../support/private-outbox';

const OPT_OUT = path.resolve(__dirname, '../../../libs/platform/migrations/1796600000000_outbox-notify-opt-out.sql');
// A topic no service consumes: the stack's own health-check topic.
const TOPIC = 'stack.healthcheck';

/** One outbox row in the caller's transaction, on a topic nobody consumes; returns its event id. */
async function writeRow(client: PoolClient): Promise<string> {
  const env = await enqueue(client, {
    topic: TOPICS.fraudCleared,
    key: 'quiet-commit',
    aggregateId: `quiet-${randomUUID()}`,
    correlationId: randomUUID(),
    payload: { transferId: randomUUID(), payer: { customerId: randomUUID(), accountId: randomUUID() }, decision: 'APPROVED', score: 0, reasons: [] },
  });
  await client.query('UPDATE outbox SET topic = $2 WHERE event_id = $1', [env.eventId, TOPIC]);
  return env.eventId;
}

describe('Outbox commits that skip NOTIFY', () => {
  let outbox: PrivateOutbox;

  beforeAll(async () => {
    outbox = await createPrivateOutbox('quietoutbox');
    // The opt-out migration, on top of the private schema's outbox (its trigger function is the schema's own).
    await outbox.pool.query(fs.readFileSync(OPT_OUT, 'utf8').split('-- Down Migration')[0]!);
  });
  afterAll(async () => outbox?.drop());

  it('when a transaction sets SKIP_OUTBOX_NOTIFY, then its commit sends no NOTIFY, while the next transaction on the same connection still does', async () => {
    const listener = new pg.Client({ connectionString: outbox.url });
    await listener.connect();
    const writer = await outbox.pool.connect();
    try {
      const { rows } = await writer.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const writerPid = rows[0]!.pid;
      // Other databases' writers notify on the same channel name: count only this writer's notifications.
      const fromWriter: number[] = [];
      listener.on('notification', (n) => {
        if (n.processId === writerPid) fromWriter.push(Date.now());
      });
      await listener.query('LISTEN outbox');

      await writer.query(`BEGIN; ${SKIP_OUTBOX_NOTIFY}`);
      await writeRow(writer);
      await writer.query('COMMIT');
      await writer.query('BEGIN');
      await writeRow(writer);
      await writer.query('COMMIT');

      // Notifications arrive in commit order: once the second commit's is here, the first would have been too.
      await eventually(async () => (fromWriter.length > 0 ? true : undefined), { timeoutMs: 5000, what: 'the NOTIFY of the second commit' });
      await new Promise((r) => setTimeout(r, 200));
      expect(fromWriter).toHaveLength(1);
    } finally {
      writer.release();
      await listener.end();
    }
  });

  const relayOn = (pool: Pool) =>
    new OutboxRelay({
      pool,
      connectionString: outbox.url,
      kafka: createKafka('quiet-outbox-test', STACK_DEFAULTS.kafkaBrokers),
      logger: createLogger('quiet-outbox-test', { level: 'warn' }),
      // Far beyond the test's timeouts: only a wake-up can publish the row in time.
      pollIntervalMs: 60_000,
    });
  const allPublished = () =>
    eventually(async () => ((await outbox.pool.query('SELECT 1 FROM outbox WHERE published_at IS NULL')).rowCount === 0 ? true : undefined), {
      timeoutMs: 20_000,
      what: 'earlier rows published',
    });
  const published = (eventId: string) =>
    eventually(async () => ((await outbox.pool.query('SELECT 1 FROM outbox WHERE event_id = $1 AND published_at IS NOT NULL', [eventId])).rowCount === 1 ? true : undefined), {
      timeoutMs: 10_000,
      what: 'the quiet row published',
    });
  async function quietCommit(pool: Pool): Promise<string> {
    const client = await pool.connect();
    try {
      await client.query(`BEGIN; ${SKIP_OUTBOX_NOTIFY}`);
      const eventId = await writeRow(client);
      await client.query('COMMIT');
      return eventId;
    } finally {
      client.release();
    }
  }

  it('when a quiet commit signals and a relay of its own process drains that pool, then the relay is woken directly and publishes the row long before it would poll', async () => {
    const relay = relayOn(outbox.pool);
    await relay.start();
    try {
      await allPublished();
      const eventId = await quietCommit(outbox.pool);
      const signalled = Date.now();
      signalOutbox(outbox.pool);
      await published(eventId);
      expect(Date.now() - signalled).toBeLessThan(10_000);
    } finally {
      await relay.stop();
    }
  });

  it('when the relay runs elsewhere (another pool, as in its own process), then the signal is one NOTIFY outside the transaction that wakes it, and a burst of signals is coalesced into a few', async () => {
    const relay = relayOn(outbox.pool);
    // The writer's pool: one connection, so every NOTIFY it sends comes from one backend.
    const writerPool = createPool(outbox.url, { applicationName: 'quiet-outbox-writer', max: 1 });
    const listener = new pg.Client({ connectionString: outbox.url });
    await relay.start();
    try {
      await allPublished();
      const { rows } = await writerPool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const writerPid = rows[0]!.pid;
      const fromWriter: number[] = [];
      await listener.connect();
      listener.on('notification', (n) => {
        if (n.processId === writerPid) fromWriter.push(Date.now());
      });
      await listener.query('LISTEN outbox');

      const eventId = await quietCommit(writerPool);
      signalOutbox(writerPool);
      await published(eventId);
      await eventually(async () => (fromWriter.length === 1 ? true : undefined), { timeoutMs: 5000, what: 'the signal\'s NOTIFY' });

      // 50 commits' signals at once: one NOTIFY in flight, and one more for all that came meanwhile.
      fromWriter.length = 0;
      for (let i = 0; i < 50; i += 1) signalOutbox(writerPool);
      await eventually(async () => (fromWriter.length >= 1 ? true : undefined), { timeoutMs: 5000, what: 'the burst\'s NOTIFY' });
      await new Promise((r) => setTimeout(r, 500));
      expect(fromWriter.length).toBeGreaterThanOrEqual(1);
      expect(fromWriter.length).toBeLessThanOrEqual(2);
    } finally {
      await listener.end().catch(() => undefined);
      await relay.stop();
      await writerPool.end();
    }
  });
});
