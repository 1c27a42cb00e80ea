// Idempotency-Key of the money-moving POSTs (a PIX, a devolução): per customer and key, the request's hash and its
// first answer — an acceptance or an expected refusal — stored in the same transaction as the work itself.
import { AppError } from '@krt/platform/http';
import { commitTransaction, rollbackTransaction, type PoolClient } from '@krt/platform/persistence';
import type { BalanceSnapshot } from '../accounts/balance-cache';
import { PaymentsErrors } from './payments.errors';
import type { PaymentsContext } from './payments.context';
import { afterLedgerCommit } from './read-routing';

/** A refusal as stored with its key, so a repeated request is refused the same way. */
export interface StoredError {
  error: { status: number; code: string; message: string; errors?: unknown };
}

export const storedRefusal = (e: AppError): StoredError => ({ error: { status: e.status, code: e.code, message: e.message, errors: e.details.errors } });

/** The stored answer of an earlier request with the key: its body when it was accepted, else its refusal thrown again. */
export function replayStored<T>(stored: { status_code: number | null; response: unknown }, acceptedStatus: number): T {
  if (stored.status_code === acceptedStatus) return stored.response as T;
  const e = (stored.response as StoredError).error;
  throw new AppError(e.status as 422, e.code, e.message, e.errors ? { errors: e.errors as [] } : {});
}

/**
 * Runs `work` once per (customer, key), in one transaction with the key's record: concurrent requests with one key
 * queue on its primary key and the losers read the winner's answer; a key repeated with another request (another
 * `hash`) is refused. An AppError thrown by `work` is an expected refusal: its effects are undone, and it is stored as
 * the key's answer and thrown. After the commit, the balance snapshot `work` returned goes to the read model.
 */
export async function runIdempotent<T>(
  ctx: PaymentsContext,
  req: { customerId: string; key: string; hash: string; acceptedStatus: number },
  work: (client: PoolClient) => Promise<{ body: T; snapshot?: BalanceSnapshot }>,
): Promise<{ body: T; replayed: boolean }> {
  const client = await ctx.pool.connect();
  try {
    await client.query('BEGIN');
    const claimed = await client.query('INSERT INTO idempotency_keys (customer_id, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING key', [
      req.customerId,
      req.key,
      req.hash,
    ]);
    if (claimed.rowCount === 0) {
      const { rows } = await client.query<{ request_hash: string; status_code: number | null; response: unknown }>(
        'SELECT request_hash, status_code, response FROM idempotency_keys WHERE customer_id = $1 AND key = $2',
        [req.customerId, req.key],
      );
      await commitTransaction(client, ctx.pool);
      const stored = rows[0]!;
      if (stored.request_hash !== req.hash) throw PaymentsErrors.idempotencyKeyReused();
      return { body: replayStored<T>(stored, req.acceptedStatus), replayed: true };
    }
    await client.query('SAVEPOINT work');
    let status = req.acceptedStatus;
    let response: T | StoredError;
    let snapshot: BalanceSnapshot | undefined;
    let failure: AppError | undefined;
    try {
      const done = await work(client);
      response = done.body;
      snapshot = done.snapshot;
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      // An expected refusal is the request's answer too: undo the work, keep the key with the error.
      await client.query('ROLLBACK TO SAVEPOINT work');
      failure = e;
      status = e.status;
      response = storedRefusal(e);
    }
    await client.query('UPDATE idempotency_keys SET status_code = $3, response = $4 WHERE customer_id = $1 AND key = $2', [req.customerId, req.key, status, response]);
    // Outbox rows `work` enqueued wake the relay now, before the read model's writes below.
    await commitTransaction(client, ctx.pool);
    if (failure) throw failure;
    // On the connection this request already holds (see afterLedgerCommit).
    if (snapshot) await afterLedgerCommit(ctx, snapshot, { primary: client });
    return { body: response as T, replayed: false };
  } catch (e) {
    await rollbackTransaction(client);
    throw e;
  } finally {
    client.release();
  }
}

const TRANSIENT = new Set(['40P01', '40001']); // deadlock, serialization failure

/**
 * Runs `once` again (up to three times in all) when the database aborted its transaction as a deadlock victim or a
 * serialization failure: nothing of it was kept, so running it whole again is safe.
 */
export async function retryTransient<T>(ctx: PaymentsContext, what: string, once: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await once();
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (attempt >= 3 || !code || !TRANSIENT.has(code)) throw e;
      ctx.logger.warn({ code, attempt }, `${what} retried after a transient database conflict`);
    }
  }
}
