// A private PostgreSQL schema holding its own outbox/inbox tables (the platform's outbox migrations, in order), so a
// test's rows never reach the services' relays. Used by tests that run an OutboxRelay in process.
import { databaseUrl } from '@krt/platform/config';
import { createPool, type Pool } from '@krt/platform/persistence';
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
