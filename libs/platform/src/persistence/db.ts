// PostgreSQL: pools (primary and read), transactions, versioned SQL migrations (node-pg-migrate), readiness.
import pg from 'pg';
import type { ReadinessCheck } from '../http/readiness';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
export type Queryable = pg.Pool | pg.PoolClient;

// BIGINT (int8) columns carry centavos: parse them as bigint, never as float.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => BigInt(v));

export interface PoolOptions {
  max?: number;
  applicationName?: string;
  statementTimeoutMs?: number;
}

export function createPool(connectionString: string, opts: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max: opts.max ?? 20,
    application_name: opts.applicationName,
    connectionTimeoutMillis: 3000,
    idleTimeoutMillis: 30_000,
    statement_timeout: opts.statementTimeoutMs ?? 10_000,
  });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on('error', () => undefined);
  return pool;
}

/** Runs `fn` inside BEGIN/COMMIT on one client; rolls back on any error. */
export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>, isolation?: 'SERIALIZABLE' | 'REPEATABLE READ'): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(isolation ? `BEGIN ISOLATION LEVEL ${isolation}` : 'BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

export function postgresReadiness(pool: pg.Pool, name = 'postgres'): ReadinessCheck {
  return {
    name,
    check: async () => {
      const r = await pool.query('select 1 as ok');
      if (r.rows[0]?.ok !== 1) throw new Error('unexpected answer');
    },
  };
}
