// Fraud consumer's use case: score a `pix.initiated` with the seed's rules and publish the decision
// (`fraud.cleared` / `fraud.detected`) through the outbox, in the same transaction as the inbox row.
import { pixInitiatedPayload, TOPICS, type Envelope } from '@krt/contracts';
import { Money, scoreTransfer, type FraudAssessment } from '@krt/domain';
import { applyOnce } from '@krt/platform/consumer';
import { enqueue } from '@krt/platform/outbox';
import type { PaymentsContext } from '../shared/payments.context';
import { recordAndCountRecent } from './velocity-counter';

export const FRAUD_CONSUMER = 'payments.fraud-consumer';

export async function assessTransfer(ctx: PaymentsContext, envelope: Envelope): Promise<FraudAssessment | null> {
  const p = pixInitiatedPayload.parse(envelope.payload);
  const at = new Date(p.initiatedAt);
  const recentTransferCount = await recordAndCountRecent(ctx.redis, p.payer.accountId, p.transferId, at);
  const assessment = scoreTransfer({
    amount: Money.fromCentavos(BigInt(p.amountCentavos)),
    customerPerTransactionLimit: Money.fromCentavos(BigInt(p.payerPerTransactionLimitCentavos)),
    recentTransferCount,
    at,
    firstTimeRecipient: p.firstTimeRecipient,
  });
  const applied = await applyOnce(ctx.pool, FRAUD_CONSUMER, envelope, async (client) => {
    await client.query('UPDATE pix_transfers SET fraud_score = $2, fraud_reasons = $3 WHERE id = $1', [p.transferId, assessment.score, JSON.stringify(assessment.reasons)]);
    await enqueue(
      client,
      {
        topic: assessment.decision === 'APPROVED' ? TOPICS.fraudCleared : TOPICS.fraudDetected,
        key: p.payer.accountId,
        aggregateId: p.transferId,
        correlationId: envelope.correlationId,
        traceparent: envelope.traceparent,
        payload: { transferId: p.transferId, payer: p.payer, decision: assessment.decision, score: assessment.score, reasons: assessment.reasons.map((r) => r.code) },
      },
      ctx.clock(),
    );
  });
  if (applied) ctx.logger.info({ transferId: p.transferId, decision: assessment.decision, score: assessment.score }, 'fraud assessment');
  return applied ? assessment : null;
}
