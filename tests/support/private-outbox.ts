// A private PostgreSQL schema holding its own outbox/inbox tables (the platform migration), so a test's rows never
// reach the services' relays. Used by tests that run an OutboxRelay in process.
import { databaseUrl } from '@krt/platform/config';
import { createPool, type Pool } from '@krt/platform/persistence';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const MIGRATION = path.resolve(__dirname, '../../libs/platform/migrations/1732850000000_outbox-inbox.sql');

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
  const up = fs.readFileSync(MIGRATION, 'utf8').split('-- Down Migration')[0]!.replace('CREATE FUNCTION outbox_notify', 'CREATE OR REPLACE FUNCTION outbox_notify');
  await admin.query(`SET search_path TO ${schema}; ${up}`);
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
