// Saga steps after the fraud decision: settle (reserve → debit, credit receiver, `pix.completed`) or compensate
// (release the reserve, FAILED with a reason, `pix.failed`). Both run inside the caller's transaction (the
// consumer's inbox transaction, or the sweeper's) and are no-ops on a transfer that is no longer PENDING.
import { TOPICS } from '@krt/contracts';
import { transition, type PixTransferEvent } from '@krt/domain';
import type { PoolClient } from '@krt/platform/db';
import { enqueue } from '@krt/platform/outbox';
import { changeReserve, lockAccounts, snapshotOf } from '../accounts/account.repository';
import type { BalanceSnapshot } from '../accounts/balance-cache';
import { postJournal } from '../accounts/ledger';
import { lockTransfer, type TransferRow } from './transfer.repository';

export interface SagaContext {
  correlationId: string;
  traceparent?: string | undefined;
}

export interface SagaOutcome {
  transfer: TransferRow;
  applied: boolean;
  snapshots: BalanceSnapshot[];
}

const parties = (t: TransferRow) => ({
  payer: { customerId: t.payer_customer_id, accountId: t.payer_account_id },
  receiver: { customerId: t.receiver_customer_id, accountId: t.receiver_account_id },
});

export async function settleTransfer(client: PoolClient, transferId: string, at: Date, saga: SagaContext): Promise<SagaOutcome> {
  const t = await lockTransfer(client, transferId);
  if (!t) throw new Error(`transfer ${transferId} not found`);
  const next = transition(t.status, 'SETTLED');
  if (!next.ok) return { transfer: t, applied: false, snapshots: [] };
  const locked = await lockAccounts(client, [t.payer_account_id, t.receiver_account_id]);
  const payer = locked.get(t.payer_account_id)!;
  const receiver = locked.get(t.receiver_account_id)!;
  const description = t.description || 'Pix';
  const { snapshots } = await postJournal(
    client,
    [
      { accountId: payer.id, direction: 'DEBIT', amountCentavos: t.amount, kind: 'PIX_OUT', description, counterpartyName: receiver.holder_name, transferId: t.id, endToEndId: t.end_to_end_id },
      { accountId: receiver.id, direction: 'CREDIT', amountCentavos: t.amount, kind: 'PIX_IN', description, counterpartyName: payer.holder_name, transferId: t.id, endToEndId: t.end_to_end_id },
    ],
    { occurredAt: at, locked, releaseReserve: { accountId: payer.id, amount: t.amount } },
  );
  const { rows } = await client.query<TransferRow>("UPDATE pix_transfers SET status = 'COMPLETED', completed_at = $2 WHERE id = $1 RETURNING *", [t.id, at]);
  await enqueue(
    client,
    {
      topic: TOPICS.pixCompleted,
      key: t.payer_account_id,
      aggregateId: t.id,
      correlationId: saga.correlationId,
      traceparent: saga.traceparent,
      payload: { transferId: t.id, endToEndId: t.end_to_end_id, ...parties(t), amountCentavos: t.amount.toString(), completedAt: at.toISOString() },
    },
    at,
  );
  return { transfer: rows[0]!, applied: true, snapshots };
}

export interface FailureCause {
  event: Exclude<PixTransferEvent, 'SETTLED'>;
  code: string;
  /** pt-BR, shown to the customer. */
  reason: string;
}

export async function failTransfer(client: PoolClient, transferId: string, cause: FailureCause, at: Date, saga: SagaContext): Promise<SagaOutcome> {
  const t = await lockTransfer(client, transferId);
  if (!t) throw new Error(`transfer ${transferId} not found`);
  const next = transition(t.status, cause.event);
  if (!next.ok) return { transfer: t, applied: false, snapshots: [] };
  const released = await changeReserve(client, t.payer_account_id, -t.amount);
  if (!released) throw new Error(`reserve of transfer ${t.id} could not be released`);
  const { rows } = await client.query<TransferRow>(
    "UPDATE pix_transfers SET status = 'FAILED', failed_at = $2, failure_code = $3, failure_reason = $4 WHERE id = $1 RETURNING *",
    [t.id, at, cause.code, cause.reason],
  );
  await enqueue(
    client,
    {
      topic: TOPICS.pixFailed,
      key: t.payer_account_id,
      aggregateId: t.id,
      correlationId: saga.correlationId,
      traceparent: saga.traceparent,
      payload: { transferId: t.id, endToEndId: t.end_to_end_id, ...parties(t), amountCentavos: t.amount.toString(), reason: cause.reason, failedAt: at.toISOString() },
    },
    at,
  );
  return { transfer: rows[0]!, applied: true, snapshots: [snapshotOf(released, at)] };
}
