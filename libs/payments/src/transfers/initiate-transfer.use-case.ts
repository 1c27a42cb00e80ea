// PIX initiation (saga step 1): in ONE SQL transaction, the idempotency record, limit checks, the reserve, the
// PENDING transfer and the `pix.initiated` outbox row. Answers at once; the saga continues through Kafka.
import { TOPICS } from '@krt/contracts';
import {
  checkPixLimits,
  checkReserve,
  generateEndToEndId,
  KRT_ISPB,
  Money,
  nightWindowStart,
  randomAlphanumeric11,
  saoPauloDayStart,
} from '@krt/domain';
import { AppError } from '@krt/platform/errors';
import { enqueue } from '@krt/platform/outbox';
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { changeReserve, findAccountByCustomer, snapshotOf } from '../accounts/account.repository';
import type { BalanceSnapshot } from '../accounts/balance-cache';
import { findAccountByKey } from '../keys/pix-keys.use-cases';
import { loadLimits } from '../limits/limits.use-cases';
import { fromDomainError, PaymentsErrors } from '../shared/payments.errors';
import type { PaymentsContext } from '../shared/payments.context';
import { afterLedgerCommit } from '../shared/read-routing';
import { hasCompletedTransferTo, sentTodayAndTonight } from './transfer.repository';

export interface InitiatePixCommand {
  customerId: string;
  idempotencyKey: string;
  key: string;
  amount: Money;
  description?: string | undefined;
  correlationId: string;
  traceparent?: string | undefined;
}

export interface AcceptedTransfer {
  id: string;
  status: 'PENDING';
  endToEndId: string;
  amount: string;
  createdAt: string;
}

export interface InitiateResult {
  transfer: AcceptedTransfer;
  /** True when this is the stored answer to an earlier request with the same Idempotency-Key. */
  replayed: boolean;
}

interface StoredError {
  error: { status: number; code: string; message: string; errors?: unknown };
}

function requestHash(cmd: InitiatePixCommand): string {
  const canonical = JSON.stringify({ key: cmd.key.trim(), amount: cmd.amount.toCentavos().toString(), description: cmd.description ?? '' });
  return createHash('sha256').update(canonical).digest('hex');
}

function replay(stored: { status_code: number | null; response: unknown }): InitiateResult {
  const body = stored.response as AcceptedTransfer | StoredError;
  if (stored.status_code === 202) return { transfer: body as AcceptedTransfer, replayed: true };
  const e = (body as StoredError).error;
  throw new AppError(e.status as 422, e.code, e.message, e.errors ? { errors: e.errors as [] } : {});
}

const RETRYABLE = new Set(['40P01', '40001']); // deadlock, serialization failure

/** Initiates a PIX; a transaction the database aborted as a deadlock victim is retried whole (nothing of it was kept). */
export async function initiatePixTransfer(ctx: PaymentsContext, cmd: InitiatePixCommand): Promise<InitiateResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await initiateOnce(ctx, cmd);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (attempt >= 3 || !code || !RETRYABLE.has(code)) throw e;
      ctx.logger.warn({ code, attempt }, 'pix initiation retried after a transient database conflict');
    }
  }
}

async function initiateOnce(ctx: PaymentsContext, cmd: InitiatePixCommand): Promise<InitiateResult> {
  const hash = requestHash(cmd);
  const now = ctx.clock();
  const client = await ctx.pool.connect();
  let snapshot: BalanceSnapshot | undefined;
  try {
    await client.query('BEGIN');
    // Concurrent requests with one key queue on the primary key; the losers then read the winner's answer.
    const claimed = await client.query(
      'INSERT INTO idempotency_keys (customer_id, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING key',
      [cmd.customerId, cmd.idempotencyKey, hash],
    );
    if (claimed.rowCount === 0) {
      const { rows } = await client.query<{ request_hash: string; status_code: number | null; response: unknown }>(
        'SELECT request_hash, status_code, response FROM idempotency_keys WHERE customer_id = $1 AND key = $2',
        [cmd.customerId, cmd.idempotencyKey],
      );
      await client.query('COMMIT');
      const stored = rows[0]!;
      if (stored.request_hash !== hash) throw PaymentsErrors.idempotencyKeyReused();
      return replay(stored);
    }
    await client.query('SAVEPOINT work');
    let status: number;
    let response: AcceptedTransfer | StoredError;
    let failure: AppError | undefined;
    try {
      const accepted = await reserveAndRecord(ctx, client, cmd, now);
      snapshot = accepted.snapshot;
      status = 202;
      response = accepted.transfer;
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      // An expected refusal is the request's answer too: undo the work, keep the key with the error.
      await client.query('ROLLBACK TO SAVEPOINT work');
      failure = e;
      status = e.status;
      response = { error: { status: e.status, code: e.code, message: e.message, errors: e.details.errors } };
    }
    await client.query('UPDATE idempotency_keys SET status_code = $3, response = $4 WHERE customer_id = $1 AND key = $2', [
      cmd.customerId,
      cmd.idempotencyKey,
      status,
      response,
    ]);
    await client.query('COMMIT');
    if (failure) throw failure;
    // On the connection this request already holds (see afterLedgerCommit).
    if (snapshot) await afterLedgerCommit(ctx, snapshot, { primary: client });
    return { transfer: response as AcceptedTransfer, replayed: false };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

async function reserveAndRecord(
  ctx: PaymentsContext,
  client: import('@krt/platform/db').PoolClient,
  cmd: InitiatePixCommand,
  now: Date,
): Promise<{ transfer: AcceptedTransfer; snapshot: BalanceSnapshot }> {
  // The payer's row lock serialises this customer's PIX: limits and the reserve see every earlier transfer.
  const payer = await findAccountByCustomer(client, cmd.customerId, true);
  if (!payer) throw PaymentsErrors.accountNotFound();
  const { account: receiver, key } = await findAccountByKey(client, cmd.key);
  if (receiver.id === payer.id) throw PaymentsErrors.selfTransfer();
  if (receiver.status !== 'ACTIVE' || receiver.kind !== 'CUSTOMER') throw PaymentsErrors.receiverUnavailable();

  const limits = await loadLimits(client, payer.id);
  const nightStart = nightWindowStart(now);
  const { today, tonight } = await sentTodayAndTonight(client, payer.id, saoPauloDayStart(now), nightStart);
  const limitCheck = checkPixLimits({
    amount: cmd.amount,
    limits,
    spentToday: Money.fromCentavos(today),
    spentThisNight: Money.fromCentavos(tonight),
    at: now,
  });
  if (!limitCheck.ok) throw fromDomainError(limitCheck.error);

  const funds = checkReserve(Money.fromCentavos(payer.posted - payer.reserved), cmd.amount);
  if (!funds.ok) throw fromDomainError(funds.error);
  const reserved = await changeReserve(client, payer.id, cmd.amount.toCentavos());
  if (!reserved) throw PaymentsErrors.insufficientFunds();

  const firstTimeRecipient = !(await hasCompletedTransferTo(client, payer.id, receiver.id));
  const id = randomUUID();
  const endToEndId = generateEndToEndId(KRT_ISPB, now, randomAlphanumeric11((n) => randomInt(n)));
  const description = cmd.description?.trim() ?? '';
  await client.query(
    `INSERT INTO pix_transfers (id, end_to_end_id, payer_account_id, payer_customer_id, receiver_account_id, receiver_customer_id,
       receiver_key_type, receiver_key, amount, description, status, created_at, deadline_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'PENDING', $11, now() + make_interval(secs => $12::double precision / 1000))`,
    [id, endToEndId, payer.id, cmd.customerId, receiver.id, receiver.customer_id, key.type, key.value, cmd.amount.toCentavos().toString(), description, now, ctx.pendingDeadlineMs],
  );
  await enqueue(
    client,
    {
      topic: TOPICS.pixInitiated,
      key: payer.id,
      aggregateId: id,
      correlationId: cmd.correlationId,
      traceparent: cmd.traceparent,
      payload: {
        transferId: id,
        endToEndId,
        payer: { customerId: cmd.customerId, accountId: payer.id },
        receiver: { customerId: receiver.customer_id!, accountId: receiver.id },
        amountCentavos: cmd.amount.toCentavos().toString(),
        description: description || undefined,
        firstTimeRecipient,
        payerPerTransactionLimitCentavos: limits.perTransaction.toCentavos().toString(),
        initiatedAt: now.toISOString(),
      },
    },
    now,
  );
  return {
    transfer: { id, status: 'PENDING', endToEndId, amount: cmd.amount.toApiString(), createdAt: now.toISOString() },
    snapshot: snapshotOf(reserved, now),
  };
}
