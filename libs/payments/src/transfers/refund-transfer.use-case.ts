// PIX devolução (issue #18; BACEN: the receiver of a PIX may return all or part of it within 90 days). In ONE
// transaction with the Idempotency-Key record: the original PIX locked (concurrent returns of one PIX queue on it, so
// their sum never passes it), the rules (@krt/domain checkRefund), the reserve on the returning account, the return as
// a PENDING transfer of its own — from the original's receiver back to its payer, refund_of = the original, BACEN's
// return id (`D…`) — and its `pix.initiated`. The saga then runs it like a PIX: the fraud consumer clears it at once,
// the payment consumer posts PIX_REVERSAL lines on both sides, a failure (or the deadline) releases the reserve.
import { checkRefund, checkReserve, generateReturnId, KRT_ISPB, Money, randomAlphanumeric11 } from '@krt/domain';
import type { PoolClient } from '@krt/platform/persistence';
import { enqueue, traceparentFor } from '@krt/platform/messaging';
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { changeReserve, findAccountByCustomer, findAccountById, snapshotOf } from '../accounts/account.repository';
import type { BalanceSnapshot } from '../accounts/balance-cache';
import { verifyTransactionPin } from '../pin/transaction-pin.use-cases';
import { retryTransient, runIdempotent } from '../shared/idempotency';
import { fromDomainError, PaymentsErrors } from '../shared/payments.errors';
import type { PaymentsContext } from '../shared/payments.context';
import { pixInitiated, receiverAccepts } from './initiate-transfer.use-case';
import { lockTransfer } from './transfer.repository';

export interface RefundPixCommand {
  customerId: string;
  idempotencyKey: string;
  /** The PIX being returned. */
  transferId: string;
  amount: Money;
  description?: string | undefined;
  /** The transaction PIN (checked first; never in the request's hash, never stored). */
  pin: string;
  correlationId: string;
  traceparent?: string | undefined;
}

export interface AcceptedRefund {
  id: string;
  status: 'PENDING';
  endToEndId: string;
  amount: string;
  createdAt: string;
  refundOf: string;
}

/** Marks a return's receiver "key" columns: a devolução goes back to the original's payer, not to a key. */
export const REFUND_KEY_TYPE = 'DEVOLUCAO';

function requestHash(cmd: RefundPixCommand): string {
  const canonical = JSON.stringify({ refundOf: cmd.transferId, amount: cmd.amount.toCentavos().toString(), description: cmd.description?.trim() ?? '' });
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Returns all or part of a PIX the caller received. A repeated Idempotency-Key answers the first result. The
 * transaction PIN is checked first, before the key is claimed (as for a PIX: see initiatePixTransfer).
 */
export async function refundPixTransfer(ctx: PaymentsContext, cmd: RefundPixCommand): Promise<{ refund: AcceptedRefund; replayed: boolean }> {
  await verifyTransactionPin(ctx, cmd);
  const traced = { ...cmd, traceparent: traceparentFor(cmd.traceparent) };
  const { body, replayed } = await retryTransient(ctx, 'pix refund', () =>
    runIdempotent<AcceptedRefund>(ctx, { customerId: cmd.customerId, key: cmd.idempotencyKey, hash: requestHash(cmd), acceptedStatus: 202 }, (client) =>
      recordRefund(ctx, client, traced, ctx.clock()),
    ),
  );
  return { refund: body, replayed };
}

async function recordRefund(ctx: PaymentsContext, client: PoolClient, cmd: RefundPixCommand, now: Date): Promise<{ body: AcceptedRefund; snapshot: BalanceSnapshot }> {
  // Transfers before accounts, as every ledger writer locks them.
  const original = await lockTransfer(client, cmd.transferId);
  const me = await findAccountByCustomer(client, cmd.customerId, true);
  if (!me) throw PaymentsErrors.accountNotFound();
  if (me.status === 'BLOCKED') throw PaymentsErrors.accountBlocked();
  if (!original || (original.payer_account_id !== me.id && original.receiver_account_id !== me.id)) throw PaymentsErrors.transferNotFound();
  if (original.receiver_account_id !== me.id) throw PaymentsErrors.notTheReceiver();

  const { rows } = await client.query<{ total: bigint }>("SELECT COALESCE(sum(amount), 0)::bigint AS total FROM pix_transfers WHERE refund_of = $1 AND status <> 'FAILED'", [original.id]);
  const rule = checkRefund({
    original: { amount: Money.fromCentavos(original.amount), completedAt: original.status === 'COMPLETED' ? original.completed_at : null, isRefund: Boolean(original.refund_of) },
    alreadyRefunded: Money.fromCentavos(rows[0]!.total),
    amount: cmd.amount,
    at: now,
  });
  if (!rule.ok) throw fromDomainError(rule.error);

  const payerBack = await findAccountById(client, original.payer_account_id);
  if (!payerBack) throw PaymentsErrors.receiverUnavailable();
  receiverAccepts(payerBack.status, payerBack.kind);
  const funds = checkReserve(Money.fromCentavos(me.posted - me.reserved), cmd.amount);
  if (!funds.ok) throw fromDomainError(funds.error);
  const reserved = await changeReserve(client, me.id, cmd.amount.toCentavos());
  if (!reserved) throw PaymentsErrors.insufficientFunds();

  const id = randomUUID();
  const returnId = generateReturnId(KRT_ISPB, now, randomAlphanumeric11((n) => randomInt(n)));
  const description = cmd.description?.trim() ?? '';
  await client.query(
    `INSERT INTO pix_transfers (id, end_to_end_id, payer_account_id, payer_customer_id, receiver_account_id, receiver_customer_id,
       receiver_key_type, receiver_key, amount, description, status, created_at, deadline_at, refund_of)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'PENDING', $11, now() + make_interval(secs => $12::double precision / 1000), $13)`,
    [id, returnId, me.id, cmd.customerId, original.payer_account_id, original.payer_customer_id, REFUND_KEY_TYPE, original.end_to_end_id, cmd.amount.toCentavos().toString(), description, now, ctx.pendingDeadlineMs, original.id],
  );
  await enqueue(
    client,
    pixInitiated(cmd, {
      id,
      endToEndId: returnId,
      payerAccountId: me.id,
      receiver: { customerId: original.payer_customer_id, accountId: original.payer_account_id },
      description,
      firstTimeRecipient: false,
      perTransactionLimit: cmd.amount,
      now,
      refundOf: original.id,
    }),
    now,
  );
  return {
    body: { id, status: 'PENDING', endToEndId: returnId, amount: cmd.amount.toApiString(), createdAt: now.toISOString(), refundOf: original.id },
    snapshot: snapshotOf(reserved, now),
  };
}
