// Saga steps after the fraud decision: settle (reserve → debit, credit receiver, `pix.completed`) or compensate
// (release the reserve, FAILED with a reason, `pix.failed`). Both run inside the caller's transaction (the
// consumer's inbox transaction, or the sweeper's) and are no-ops on a transfer that is no longer PENDING.
import { TOPICS, type PixFailureCode } from '@krt/contracts';
import { transition, type PixTransferEvent } from '@krt/domain';
import type { PoolClient } from '@krt/platform/persistence';
import { enqueue, enqueueMany, type OutboxMessage } from '@krt/platform/messaging';
import { changeReserve, lockAccounts, saveAccounts, snapshotOf, violatesBalanceRules, type AccountRow } from '../accounts/account.repository';
import type { BalanceSnapshot } from '../accounts/balance-cache';
import { applyJournal, insertLedgerEntries, postJournal, type LedgerEntryRow, type LedgerLine } from '../accounts/ledger';
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

/** A PIX: PIX_OUT for the payer, PIX_IN for the receiver. A devolução: PIX_REVERSAL on both sides. */
const pixLines = (t: TransferRow, payer: AccountRow, receiver: AccountRow): LedgerLine[] => {
  const refund = Boolean(t.refund_of);
  const description = t.description || (refund ? 'Devolução Pix' : 'Pix');
  return [
    { accountId: payer.id, direction: 'DEBIT', amountCentavos: t.amount, kind: refund ? 'PIX_REVERSAL' : 'PIX_OUT', description, counterpartyName: receiver.holder_name, transferId: t.id, endToEndId: t.end_to_end_id },
    { accountId: receiver.id, direction: 'CREDIT', amountCentavos: t.amount, kind: refund ? 'PIX_REVERSAL' : 'PIX_IN', description, counterpartyName: payer.holder_name, transferId: t.id, endToEndId: t.end_to_end_id },
  ];
};

const refundOf = (t: TransferRow) => (t.refund_of ? { refundOf: t.refund_of } : {});

const completedEvent = (t: TransferRow, at: Date, saga: SagaContext): OutboxMessage<typeof TOPICS.pixCompleted> => ({
  topic: TOPICS.pixCompleted,
  key: t.payer_account_id,
  aggregateId: t.id,
  correlationId: saga.correlationId,
  traceparent: saga.traceparent,
  payload: { transferId: t.id, endToEndId: t.end_to_end_id, ...parties(t), amountCentavos: t.amount.toString(), completedAt: at.toISOString(), ...refundOf(t) },
});

const failedEvent = (t: TransferRow, cause: FailureCause, at: Date, saga: SagaContext): OutboxMessage<typeof TOPICS.pixFailed> => ({
  topic: TOPICS.pixFailed,
  key: t.payer_account_id,
  aggregateId: t.id,
  correlationId: saga.correlationId,
  traceparent: saga.traceparent,
  payload: { transferId: t.id, endToEndId: t.end_to_end_id, ...parties(t), amountCentavos: t.amount.toString(), reason: cause.reason, failureCode: cause.code, failedAt: at.toISOString(), ...refundOf(t) },
});

/**
 * A receiver blocked by an operator after the PIX was initiated (issue #19) receives nothing: the transfer fails and
 * the payer's reserve is released, as any other failure compensates.
 */
export const PAYEE_BLOCKED: FailureCause = {
  event: 'SETTLEMENT_FAILED',
  code: 'PAYEE_ACCOUNT_BLOCKED',
  reason: 'Pix não concluído: a conta de destino está bloqueada. O valor reservado voltou para o seu saldo.',
};

export async function settleTransfer(client: PoolClient, transferId: string, at: Date, saga: SagaContext): Promise<SagaOutcome> {
  const t = await lockTransfer(client, transferId);
  if (!t) throw new Error(`transfer ${transferId} not found`);
  const next = transition(t.status, 'SETTLED');
  if (!next.ok) return { transfer: t, applied: false, snapshots: [] };
  const locked = await lockAccounts(client, [t.payer_account_id, t.receiver_account_id]);
  const payer = locked.get(t.payer_account_id)!;
  const receiver = locked.get(t.receiver_account_id)!;
  if (receiver.status === 'BLOCKED') return failTransfer(client, transferId, PAYEE_BLOCKED, at, saga);
  const { snapshots } = await postJournal(client, pixLines(t, payer, receiver), { occurredAt: at, locked, releaseReserve: { accountId: payer.id, amount: t.amount } });
  const { rows } = await client.query<TransferRow>("UPDATE pix_transfers SET status = 'COMPLETED', completed_at = $2 WHERE id = $1 RETURNING *", [t.id, at]);
  await enqueue(client, completedEvent(t, at, saga), at);
  return { transfer: rows[0]!, applied: true, snapshots };
}

export interface FailureCause {
  event: Exclude<PixTransferEvent, 'SETTLED'>;
  /** Stored as the transfer's failure_code and sent as pix.failed `failureCode`. */
  code: PixFailureCode;
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
  await enqueue(client, failedEvent(t, cause, at, saga), at);
  return { transfer: rows[0]!, applied: true, snapshots: [snapshotOf(released, at)] };
}

/** One step of a set-wise batch: settle the transfer, or fail it with `cause`. */
export interface SagaStep {
  transferId: string;
  action: 'SETTLE' | FailureCause;
  saga: SagaContext;
}

/**
 * `settleTransfer` / `failTransfer` for many steps in one transaction, set-wise, with the outcome of running them one
 * at a time in the given order (the domain's `transition` decides each step on the transfer's state so far). Locks
 * are taken once, in a fixed order (transfers by id, then accounts by id, as everywhere else), so a batch never
 * deadlocks with the payments API, the sweeper or another batch. Then one write per table: ledger lines, accounts,
 * transfers, outbox. A step that would break a balance rule throws (the caller rolls back).
 */
export async function settleOrFailMany(client: PoolClient, steps: SagaStep[], at: Date): Promise<SagaOutcome[]> {
  if (steps.length === 0) return [];
  const ids = [...new Set(steps.map((s) => s.transferId))].sort();
  const { rows: locked } = await client.query<TransferRow>('SELECT * FROM pix_transfers WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [ids]);
  const transfers = new Map(locked.map((t) => [t.id, t]));
  for (const id of ids) if (!transfers.has(id)) throw new Error(`transfer ${id} not found`);
  const accounts = await lockAccounts(
    client,
    locked.flatMap((t) => [t.payer_account_id, t.receiver_account_id]),
  );
  const touched = new Set<string>();
  const changed = new Set<string>();
  const entries: LedgerEntryRow[] = [];
  const events: OutboxMessage<typeof TOPICS.pixCompleted | typeof TOPICS.pixFailed>[] = [];
  const outcomes: SagaOutcome[] = [];
  for (const step of steps) {
    const t = transfers.get(step.transferId)!;
    // As settleTransfer: a settlement to a receiver blocked since the initiation fails instead.
    const action = step.action === 'SETTLE' && accounts.get(t.receiver_account_id)?.status === 'BLOCKED' ? PAYEE_BLOCKED : step.action;
    const next = transition(t.status, action === 'SETTLE' ? 'SETTLED' : action.event);
    if (!next.ok) {
      outcomes.push({ transfer: t, applied: false, snapshots: [] });
      continue;
    }
    let done: TransferRow;
    let snapshots;
    if (action === 'SETTLE') {
      const payer = accounts.get(t.payer_account_id);
      const receiver = accounts.get(t.receiver_account_id);
      if (!payer || !receiver) throw new Error(`ledger accounts of transfer ${t.id} not found`);
      const posted = applyJournal(accounts, pixLines(t, payer, receiver), { occurredAt: at, releaseReserve: { accountId: payer.id, amount: t.amount } });
      entries.push(...posted.entries);
      snapshots = posted.snapshots;
      done = { ...t, status: 'COMPLETED', completed_at: at };
      events.push(completedEvent(t, at, step.saga));
    } else {
      const payer = accounts.get(t.payer_account_id);
      if (!payer) throw new Error(`ledger account ${t.payer_account_id} not found`);
      const released = { ...payer, reserved: payer.reserved - t.amount, version: payer.version + 1n };
      if (violatesBalanceRules(released)) throw new Error(`reserve of transfer ${t.id} could not be released`);
      accounts.set(payer.id, released);
      snapshots = [snapshotOf(released, at)];
      done = { ...t, status: 'FAILED', failed_at: at, failure_code: action.code, failure_reason: action.reason };
      events.push(failedEvent(t, action, at, step.saga));
    }
    for (const s of snapshots) touched.add(s.accountId);
    transfers.set(t.id, done);
    changed.add(t.id);
    outcomes.push({ transfer: done, applied: true, snapshots });
  }
  await insertLedgerEntries(client, entries);
  await saveAccounts(client, [...touched].map((id) => accounts.get(id)!));
  const finished = [...changed].map((id) => transfers.get(id)!);
  if (finished.length > 0) {
    await client.query(
      `UPDATE pix_transfers t SET status = v.status, completed_at = v.completed_at, failed_at = v.failed_at, failure_code = v.failure_code, failure_reason = v.failure_reason
         FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::text[], $6::text[]) AS v(id, status, completed_at, failed_at, failure_code, failure_reason)
        WHERE t.id = v.id`,
      [
        finished.map((t) => t.id),
        finished.map((t) => t.status),
        finished.map((t) => t.completed_at),
        finished.map((t) => t.failed_at),
        finished.map((t) => t.failure_code),
        finished.map((t) => t.failure_reason),
      ],
    );
  }
  await enqueueMany(client, events, at);
  return outcomes;
}
