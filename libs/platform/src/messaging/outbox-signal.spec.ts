// The one way the outbox wakes its relays, with a scripted connection (the real database: the integration test
// tests/integration/platform/outbox-signal-after-commit.test.ts): writing outbox rows registers the relay signal as
// the transaction's after-commit hook, so the signal goes after the COMMIT (never inside the transaction), once per
// transaction, whichever way the transaction ends up committed, and not after a rollback through the helpers.
import { TOPICS } from '@krt/contracts';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { afterCommit, commitTransaction, createPool, rollbackTransaction, withTransaction, type Pool, type PoolClient } from '../persistence/db';
import { enqueue, enqueueMany, OUTBOX_SIGNAL_SQL, outboxWritten, type OutboxMessage } from './outbox';

const NOTIFY = OUTBOX_SIGNAL_SQL;

const message = (): OutboxMessage<typeof TOPICS.fraudCleared> => ({
  topic: TOPICS.fraudCleared,
  key: 'account-1',
  aggregateId: randomUUID(),
  correlationId: randomUUID(),
  payload: { transferId: randomUUID(), payer: { customerId: randomUUID(), accountId: randomUUID() }, decision: 'APPROVED', score: 0, reasons: [] },
});

/**
 * A pool made by createPool (it never connects here) whose connections are scripted: every statement, on a client or
 * on the pool itself, lands in one log, in the order sent.
 */
function scriptedPool() {
  const log: string[] = [];
  const pool = createPool('postgres://nobody@127.0.0.1:1/none', { max: 1 });
  const sql = (q: unknown) => (typeof q === 'string' ? q : (q as { text: string }).text).split(' (')[0]!.trim();
  (pool as unknown as { query: (q: unknown) => Promise<unknown> }).query = async (q) => {
    log.push(`pool: ${sql(q)}`);
    return { rows: [], rowCount: 0 };
  };
  const client = {
    query: async (q: unknown) => {
      log.push(sql(q));
      return { rows: [], rowCount: 1 };
    },
    release: () => pool.emit('release', undefined, client),
  } as unknown as PoolClient;
  (pool as unknown as { connect: () => Promise<PoolClient> }).connect = async () => client;
  return { pool, client, log };
}

/** Lets the signal's promise chain settle. */
const settled = () => new Promise((r) => setTimeout(r, 10));

describe('outbox: the relays are signalled after the COMMIT of a transaction that wrote outbox rows', () => {
  it('when a transaction enqueues rows, then nothing is signalled inside it, and one signal follows its COMMIT (two enqueue calls and an enqueueMany: still one)', async () => {
    const { pool, client, log } = scriptedPool();
    await client.query('BEGIN');
    await enqueue(client, message());
    await enqueue(client, message());
    await enqueueMany(client, [message(), message()]);
    expect(log).toEqual(['BEGIN', 'INSERT INTO outbox', 'INSERT INTO outbox', 'INSERT INTO outbox']);
    await commitTransaction(client, pool);
    client.release();
    await settled();
    expect(log.slice(4)).toEqual(['COMMIT', `pool: ${NOTIFY}`]);
  });

  it('when the transaction is rolled back through rollbackTransaction, then no signal goes, not even when its client goes back to the pool', async () => {
    const { client, log } = scriptedPool();
    await client.query('BEGIN');
    await enqueue(client, message());
    await rollbackTransaction(client);
    client.release();
    await settled();
    expect(log).toEqual(['BEGIN', 'INSERT INTO outbox', 'ROLLBACK']);
  });

  it('when a writer commits by hand, then the signal goes when its client goes back to its pool: a writer cannot forget it', async () => {
    const { client, log } = scriptedPool();
    await client.query('BEGIN');
    await enqueue(client, message());
    await client.query('COMMIT');
    await settled();
    expect(log).toEqual(['BEGIN', 'INSERT INTO outbox', 'COMMIT']);
    client.release();
    await settled();
    expect(log).toEqual(['BEGIN', 'INSERT INTO outbox', 'COMMIT', `pool: ${NOTIFY}`]);
    // The hook belonged to that transaction: the client's next user starts with none.
    client.release();
    await settled();
    expect(log).toHaveLength(4);
  });

  it('when rows are written with the writer\'s own SQL and outboxWritten is called, then the signal follows the COMMIT of withTransaction', async () => {
    const { pool, log } = scriptedPool();
    await withTransaction(pool, async (client) => {
      await client.query('INSERT INTO outbox (event_id, topic, message_key, envelope) SELECT * FROM unnest($1::uuid[])');
      outboxWritten(client);
    });
    await settled();
    expect(log).toEqual(['BEGIN', 'INSERT INTO outbox', 'COMMIT', `pool: ${NOTIFY}`]);
  });

  it('when withTransaction fails, then it rolls back and no signal goes', async () => {
    const { pool, log } = scriptedPool();
    await expect(
      withTransaction(pool, async (client) => {
        await enqueue(client, message());
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    await settled();
    expect(log).toEqual(['BEGIN', 'INSERT INTO outbox', 'ROLLBACK']);
  });

  it('when a row is enqueued on the pool itself (its statement commits on its own), then the signal follows the INSERT at once', async () => {
    const { pool, log } = scriptedPool();
    await enqueue(pool, message());
    await settled();
    expect(log).toEqual(['pool: INSERT INTO outbox', `pool: ${NOTIFY}`]);
  });

  it('when an after-commit hook throws, then the committed transaction still succeeds and the other hooks run', async () => {
    const { pool } = scriptedPool();
    const ran: string[] = [];
    const result = await withTransaction(pool, async (client) => {
      afterCommit(client, () => {
        throw new Error('hook failed');
      });
      afterCommit(client, (p: Pool) => ran.push(p === pool ? 'the pool' : 'another pool'));
      return 'committed';
    });
    expect(result).toBe('committed');
    expect(ran).toEqual(['the pool']);
  });
});
