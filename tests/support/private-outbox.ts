// A private PostgreSQL schema holding its own outbox/inbox tables (the platform's outbox migrations, in order), so a
// test's rows never reach the services' relays. Used by tests that run an OutboxRelay in process.
import { TOPICS } from '@krt/contracts';
import { databaseUrl } from '@krt/platform/config';
import { enqueue } from '@krt/platform/messaging';
import { createPool, type Pool, type PoolClient } from '@krt/platform/persistence';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const MIGRATIONS = path.resolve(__dirname, '../../libs/platform/migrations');
/** The Up parts of the platform migrations that shape the outbox and inbox (not the audit log), oldest first. */
const outboxMigrations = () =>
  fs
    .readdirSync(MIGRATIONS)
    .filter((f) => f.endsWith('.sql') && f.includes('outbox'))
    .sort()
    .map((f) => fs.readFileSync(path.join(MIGRATIONS, f), 'utf8').split('-- Down Migration')[0]!);

export interface PrivateOutbox {
  schema: string;
  /** A connection string whose search_path is the private schema (for the relay's LISTEN connection). */
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

export async function createPrivateOutbox(prefix: string, poolSize = 4): Promise<PrivateOutbox> {
  const schema = `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = createPool(databaseUrl('payments'), { max: 2 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.query(`SET search_path TO ${schema}; ${outboxMigrations().join('\n')}`);
  const url = `${databaseUrl('payments')}?options=-c%20search_path%3D${schema}`;
  const pool = createPool(url, { applicationName: `${prefix}-test`, max: poolSize });
  return {
    schema,
    url,
    pool,
    async drop() {
      await pool.end().catch(() => undefined);
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}

/**
 * One outbox row in the caller's transaction, moved to the stack's health-check topic (no service consumes it), so a
 * relay can publish it without any effect; returns its event id.
 */
export async function writeUnconsumedRow(client: PoolClient, key: string): Promise<string> {
  const env = await enqueue(client, {
    topic: TOPICS.fraudCleared,
    key,
    aggregateId: `${key}-${randomUUID()}`,
    correlationId: randomUUID(),
    payload: { transferId: randomUUID(), payer: { customerId: randomUUID(), accountId: randomUUID() }, decision: 'APPROVED', score: 0, reasons: [] },
  });
  await client.query("UPDATE outbox SET topic = 'stack.healthcheck' WHERE event_id = $1", [env.eventId]);
  return env.eventId;
}
