import { databaseUrl } from '@krt/platform/config';
import { createPool, migrateService } from '@krt/platform/persistence';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// node-pg-migrate's advisory lock id: the lock a migrating replica holds.
const PG_MIGRATE_LOCK_ID = '7241865325823964';

describe('migrations when several replicas start at once', () => {
  const pool = createPool(databaseUrl('payments'));
  afterAll(() => pool.end());

  it('when another instance holds the migration lock, then start-up waits for it and then migrates, instead of failing', async () => {
    const holder = await pool.connect();
    await holder.query(`SELECT pg_advisory_lock(${PG_MIGRATE_LOCK_ID})`);
    const started = Date.now();
    const migrating = migrateService(databaseUrl('payments'), path.resolve('apps/payments/migrations'));
    setTimeout(() => void holder.query(`SELECT pg_advisory_unlock(${PG_MIGRATE_LOCK_ID})`).finally(() => holder.release()), 1500);
    await expect(migrating).resolves.toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM pgmigrations');
    expect(rows[0]!.n).toBeGreaterThan(0);
  });
});
