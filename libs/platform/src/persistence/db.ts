// PostgreSQL: pools (primary and read), transactions and their after-commit hooks, versioned SQL migrations
// (node-pg-migrate), readiness.
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
  // A transaction ended by hand (a COMMIT that did not go through `commitTransaction`) runs its after-commit hooks
  // when its client comes back: so a hook registered with `afterCommit` is never lost.
  pool.on('release', (_err: Error | undefined, client: pg.PoolClient) => runAfterCommit(client, pool));
  return pool;
}

/** Work to run once a transaction has committed, told the pool its client came from (`afterCommit`). */
export type CommitHook = (pool: pg.Pool) => void;

/** The hooks of the transaction in progress on each client (a pooled client runs one transaction at a time). */
const afterCommitHooks = new WeakMap<pg.PoolClient, Set<CommitHook>>();

const isClient = (db: Queryable): db is pg.PoolClient => typeof (db as Partial<pg.PoolClient>).release === 'function';

function runAfterCommit(client: pg.PoolClient, pool: pg.Pool): void {
  const hooks = afterCommitHooks.get(client);
  if (!hooks) return;
  afterCommitHooks.delete(client);
  for (const hook of hooks) {
    try {
      hook(pool);
    } catch {
      // The transaction has committed: a failing hook must not turn it into an error.
    }
  }
}

/**
 * Runs `hook(pool)` once the transaction on `db` has committed (the outbox uses it to wake its relays): right after
 * COMMIT in `withTransaction` and `commitTransaction`; for a transaction committed by hand, when its client goes back
 * to its pool (pools made by `createPool`), so a writer cannot forget it. On a pool, where each statement commits
 * on its own, it runs now. A hook registered twice in one transaction runs once. A hook must be cheap, must not
 * throw, and must be harmless after a rollback too: a transaction rolled back by hand runs its hooks at release.
 */
export function afterCommit(db: Queryable, hook: CommitHook): void {
  if (!isClient(db)) return hook(db);
  const hooks = afterCommitHooks.get(db);
  if (hooks) hooks.add(hook);
  else afterCommitHooks.set(db, new Set([hook]));
}

/** COMMIT, then the transaction's `afterCommit` hooks. For transactions that cannot use `withTransaction`. */
export async function commitTransaction(client: pg.PoolClient, pool: pg.Pool): Promise<void> {
  await client.query('COMMIT');
  runAfterCommit(client, pool);
}

/** ROLLBACK (its failure ignored: the connection may be gone), dropping the transaction's `afterCommit` hooks. */
export async function rollbackTransaction(client: pg.PoolClient): Promise<void> {
  afterCommitHooks.delete(client);
  await client.query('ROLLBACK').catch(() => undefined);
}

/** Runs `fn` inside BEGIN/COMMIT on one client, then its `afterCommit` hooks; rolls back on any error. */
export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>, isolation?: 'SERIALIZABLE' | 'REPEATABLE READ'): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(isolation ? `BEGIN ISOLATION LEVEL ${isolation}` : 'BEGIN');
    const result = await fn(client);
    await commitTransaction(client, pool);
    return result;
  } catch (e) {
    await rollbackTransaction(client);
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
