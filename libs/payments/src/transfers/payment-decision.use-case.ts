// Payment consumer's use case: on `fraud.cleared` settle, on `fraud.detected` compensate. Exactly once per event.
import { fraudDecisionPayload, TOPICS, type Envelope } from '@krt/contracts';
import { applyOnce, applyOnceBatch } from '@krt/platform/messaging';
import type { BalanceSnapshot } from '../accounts/balance-cache';
import type { PaymentsContext } from '../shared/payments.context';
import { afterLedgerCommit, ledgerChangePending } from '../shared/read-routing';
import { failTransfer, settleOrFailMany, settleTransfer, type FailureCause, type SagaOutcome } from './settlement.use-cases';

export const PAYMENT_CONSUMER = 'payments.payment-consumer';

export const FRAUD_FAILURE_REASON = 'Pix não concluído: a transação foi bloqueada pela nossa análise de segurança. O valor reservado voltou para o seu saldo.';

/** Test hook: runs after the effect's transaction commits, before the handler returns (and before the offset commit). */
export type AfterCommitHook = (envelope: Envelope) => Promise<void> | void;

const FRAUD_DETECTED: FailureCause = { event: 'FRAUD_DETECTED', code: 'FRAUD_SUSPECTED', reason: FRAUD_FAILURE_REASON };

const settles = (envelope: Envelope, decision: string) => envelope.type === TOPICS.fraudCleared && decision === 'APPROVED';

export async function applyFraudDecision(ctx: PaymentsContext, envelope: Envelope, afterCommit?: AfterCommitHook): Promise<SagaOutcome | null> {
  const p = fraudDecisionPayload.parse(envelope.payload);
  const at = ctx.clock();
  const saga = { correlationId: envelope.correlationId, traceparent: envelope.traceparent };
  let outcome: SagaOutcome | null = null;
  await applyOnce(ctx.pool, PAYMENT_CONSUMER, envelope, async (client) => {
    outcome =
      settles(envelope, p.decision)
        ? await settleTransfer(client, p.transferId, at, saga)
        : await failTransfer(client, p.transferId, FRAUD_DETECTED, at, saga);
    // The payer polls the transfer on the primary and may see it finished before the note below lands.
    await ledgerChangePending(ctx, outcome.snapshots);
  });
  const done = outcome as SagaOutcome | null;
  if (done?.applied) {
    await afterLedgerCommit(ctx, done.snapshots, { settlesPending: true });
    ctx.logger.info({ transferId: p.transferId, status: done.transfer.status }, 'pix transfer finished');
  }
  await afterCommit?.(envelope);
  return done;
}

/**
 * `applyFraudDecision` for a batch of decisions (in offset order), with the outcome of applying them one at a time:
 * one transaction claims the inbox rows and settles / compensates the claimed ones set-wise (`settleOrFailMany`);
 * the balance read model and read-your-writes notes are written once after the commit. `afterCommit` (fault tests)
 * runs for every envelope after the commit, before the offsets are resolved. Returns each event's outcome, or null
 * for an event already applied (or repeated in the batch).
 */
export async function applyFraudDecisions(
  ctx: PaymentsContext,
  items: { envelope: Envelope; traceparent?: string | undefined }[],
  afterCommit?: AfterCommitHook,
): Promise<(SagaOutcome | null)[]> {
  const payloads = items.map((i) => fraudDecisionPayload.parse(i.envelope.payload));
  const at = ctx.clock();
  const index = new Map(items.map((item, i) => [item.envelope.eventId, i] as const).reverse());
  const outcomes: (SagaOutcome | null)[] = items.map(() => null);
  let changed: BalanceSnapshot[] = [];
  await applyOnceBatch(
    ctx.pool,
    PAYMENT_CONSUMER,
    items.map((i) => i.envelope),
    async (client, claimed) => {
      const order = claimed.map((e) => index.get(e.eventId)!);
      const results = await settleOrFailMany(
        client,
        order.map((i) => ({
          transferId: payloads[i]!.transferId,
          action: settles(items[i]!.envelope, payloads[i]!.decision) ? 'SETTLE' : FRAUD_DETECTED,
          saga: { correlationId: items[i]!.envelope.correlationId, traceparent: items[i]!.traceparent ?? items[i]!.envelope.traceparent },
        })),
        at,
      );
      order.forEach((i, n) => (outcomes[i] = results[n]!));
      // The latest snapshot of each account the batch changed.
      const latest = new Map<string, BalanceSnapshot>();
      for (const r of results) for (const s of r.snapshots) latest.set(s.accountId, s);
      changed = [...latest.values()];
      // The payers poll their transfers on the primary and may see them finished before the notes below land.
      await ledgerChangePending(ctx, changed);
    },
  );
  if (changed.length > 0) await afterLedgerCommit(ctx, changed, { settlesPending: true });
  outcomes.forEach((o, i) => {
    if (o?.applied) ctx.logger.info({ transferId: payloads[i]!.transferId, status: o.transfer.status }, 'pix transfer finished');
  });
  for (const item of items) await afterCommit?.(item.envelope);
  return outcomes;
}
