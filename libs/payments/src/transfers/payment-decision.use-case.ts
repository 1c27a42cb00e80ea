// Payment consumer's use case: on `fraud.cleared` settle, on `fraud.detected` compensate. Exactly once per event.
import { fraudDecisionPayload, TOPICS, type Envelope } from '@krt/contracts';
import { applyOnce } from '@krt/platform/consumer';
import type { PaymentsContext } from '../shared/payments.context';
import { afterLedgerCommit, ledgerChangePending } from '../shared/read-routing';
import { failTransfer, settleTransfer, type SagaOutcome } from './settlement.use-cases';

export const PAYMENT_CONSUMER = 'payments.payment-consumer';

export const FRAUD_FAILURE_REASON = 'Pix não concluído: a transação foi bloqueada pela nossa análise de segurança. O valor reservado voltou para o seu saldo.';

/** Test hook: runs after the effect's transaction commits, before the handler returns (and before the offset commit). */
export type AfterCommitHook = (envelope: Envelope) => Promise<void> | void;

export async function applyFraudDecision(ctx: PaymentsContext, envelope: Envelope, afterCommit?: AfterCommitHook): Promise<SagaOutcome | null> {
  const p = fraudDecisionPayload.parse(envelope.payload);
  const at = ctx.clock();
  const saga = { correlationId: envelope.correlationId, traceparent: envelope.traceparent };
  let outcome: SagaOutcome | null = null;
  await applyOnce(ctx.pool, PAYMENT_CONSUMER, envelope, async (client) => {
    outcome =
      envelope.type === TOPICS.fraudCleared && p.decision === 'APPROVED'
        ? await settleTransfer(client, p.transferId, at, saga)
        : await failTransfer(client, p.transferId, { event: 'FRAUD_DETECTED', code: 'FRAUD_SUSPECTED', reason: FRAUD_FAILURE_REASON }, at, saga);
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
