// The outbox wakes its relays one way: every transaction that writes outbox rows signals them after its COMMIT
// (`enqueue` registers `signalOutbox` as the transaction's after-commit hook), never from inside it — the outbox table
// has no NOTIFY trigger (migration 1797900000000_outbox-signal-after-commit). The signal wakes a relay of the same
// process directly, and otherwise sends one coalesced NOTIFY outside the transaction.
import { STACK_DEFAULTS } from '@krt/platform/config';
import { commitTransaction, createPool, withTransaction, type Pool, type PoolClient } from '@krt/platform/persistence';
import { createKafka, OutboxRelay, signalOutbox } from '@krt/platform/messaging';
import { createLogger } from '@krt/platform/telemetry';
import { eventually } from '@krt/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivateOutbox, writeUnconsumedRow, type PrivateOutbox } from '../../support/private-outbox';


/** One outbox row in the caller's transaction, on a topic nobody consumes; returns its event id. */
const writeRow = (client: PoolClient) => writeUnconsumedRow(client, 'signal-after-commit');

/** A LISTEN connection that records the notifications on `outbox` sent by the given backends. */
async function notificationsFrom(url: string, pids: () => number[]) {
  const listener = new pg.Client({ connectionString: url });
  const seen: number[] = [];
  await listener.connect();
  // Other writers of the payments database signal on the same channel: count only the writer's backends.
  listener.on('notification', (n) => {
    if (pids().includes(n.processId)) seen.push(Date.now());
  });
  await listener.query('LISTEN outbox');
  return { seen, end: () => listener.end().catch(() => undefined) };
}

const pidOf = async (db: pg.ClientBase | Pool) => (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;

describe('Outbox: the relays are signalled after the COMMIT', () => {
  let outbox: PrivateOutbox;

  beforeAll(async () => {
    outbox = await createPrivateOutbox('signaloutbox');
  });
  afterAll(async () => outbox?.drop());

  it('when the platform migrations have run, then the outbox table has no trigger: a transaction committed by hand sends no NOTIFY, and its signal goes when its client returns to the pool', async () => {
    const { rows } = await outbox.pool.query(
      `SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relname = 'outbox' AND NOT t.tgisinternal`,
      [outbox.schema],
    );
    expect(rows).toEqual([]);

    // One connection: the commit and the signal after it come from the same backend.
    const writerPool = createPool(outbox.url, { applicationName: 'signal-outbox-writer', max: 1 });
    const writer = await writerPool.connect();
    const writerPid = await pidOf(writer);
    const listener = await notificationsFrom(outbox.url, () => [writerPid]);
    try {
      await writer.query('BEGIN');
      await writeRow(writer);
      await writer.query('COMMIT');
      await new Promise((r) => setTimeout(r, 300));
      expect(listener.seen).toHaveLength(0);

      writer.release();
      await eventually(async () => (listener.seen.length === 1 ? true : undefined), { timeoutMs: 5000, what: 'the signal sent when the client came back' });
    } finally {
      await listener.end();
      await writerPool.end();
    }
  });

  const relayOn = (pool: Pool) =>
    new OutboxRelay({
      pool,
      connectionString: outbox.url,
      kafka: createKafka('signal-outbox-test', STACK_DEFAULTS.kafkaBrokers),
      logger: createLogger('signal-outbox-test', { level: 'warn' }),
      // Far beyond the test's timeouts: only a signal can publish the row in time.
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
      what: 'the row published',
    });

  it('when withTransaction commits an enqueued row and a relay of its own process drains that pool, then the relay is woken directly and publishes the row long before it would poll', async () => {
    const relay = relayOn(outbox.pool);
    await relay.start();
    try {
      await allPublished();
      const eventId = await withTransaction(outbox.pool, writeRow);
      await published(eventId);
    } finally {
      await relay.stop();
    }
  });

  it('when the relay runs elsewhere (another pool, as in its own process), then commitTransaction signals right after the COMMIT, with the writer still holding its client, through one NOTIFY outside the transaction', async () => {
    const relay = relayOn(outbox.pool);
    const writerPool = createPool(outbox.url, { applicationName: 'signal-outbox-writer', max: 2 });
    await relay.start();
    const writer = await writerPool.connect();
    const writerPid = await pidOf(writer);
    const listener = await notificationsFrom(outbox.url, () => [writerPid]);
    try {
      await allPublished();
      await writer.query('BEGIN');
      const eventId = await writeRow(writer);
      await commitTransaction(writer, writerPool);
      await published(eventId);
      // The NOTIFY came from the pool's other connection, not from the writer's transaction.
      expect(listener.seen).toHaveLength(0);
    } finally {
      writer.release();
      await listener.end();
      await relay.stop();
      await writerPool.end();
    }
  });

  it('when a burst of signals comes at once, then it is coalesced into one or two NOTIFYs', async () => {
    // One connection, so every NOTIFY the pool sends comes from one backend.
    const writerPool = createPool(outbox.url, { applicationName: 'signal-outbox-burst', max: 1 });
    const writerPid = await pidOf(writerPool);
    const listener = await notificationsFrom(outbox.url, () => [writerPid]);
    try {
      for (let i = 0; i < 50; i += 1) signalOutbox(writerPool);
      await eventually(async () => (listener.seen.length >= 1 ? true : undefined), { timeoutMs: 5000, what: "the burst's NOTIFY" });
      await new Promise((r) => setTimeout(r, 500));
      expect(listener.seen.length).toBeGreaterThanOrEqual(1);
      expect(listener.seen.length).toBeLessThanOrEqual(2);
    } finally {
      await listener.end();
      await writerPool.end();
    }
  });
});
