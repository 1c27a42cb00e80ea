// Fraud consumer's use case: score a `pix.initiated` with the seed's rules and publish the decision
// (`fraud.cleared` / `fraud.detected`) through the outbox, in the same transaction as the inbox row.
import { pixInitiatedPayload, TOPICS, type Envelope } from '@krt/contracts';
import { Money, scoreTransfer, type FraudAssessment } from '@krt/domain';
import { applyOnce, applyOnceBatch, enqueue, enqueueMany, type OutboxMessage } from '@krt/platform/messaging';
import type { PaymentsContext } from '../shared/payments.context';
import { recordAndCountRecent, recordAndCountRecentMany } from './velocity-counter';

export const FRAUD_CONSUMER = 'payments.fraud-consumer';

type PixInitiated = ReturnType<typeof pixInitiatedPayload.parse>;

/** A devolução returns money the customer received: nothing to score (it is not counted as their own spending either). */
const REFUND_ASSESSMENT: FraudAssessment = { decision: 'APPROVED', score: 0, reasons: [] };

const score = (p: PixInitiated, recentTransferCount: number): FraudAssessment =>
  p.refundOf ? REFUND_ASSESSMENT : scoreTransfer({
    amount: Money.fromCentavos(BigInt(p.amountCentavos)),
    customerPerTransactionLimit: Money.fromCentavos(BigInt(p.payerPerTransactionLimitCentavos)),
    recentTransferCount,
    at: new Date(p.initiatedAt),
    firstTimeRecipient: p.firstTimeRecipient,
  });

const decision = (envelope: Envelope, p: PixInitiated, assessment: FraudAssessment, traceparent: string | undefined): OutboxMessage<typeof TOPICS.fraudCleared | typeof TOPICS.fraudDetected> => ({
  topic: assessment.decision === 'APPROVED' ? TOPICS.fraudCleared : TOPICS.fraudDetected,
  key: p.payer.accountId,
  aggregateId: p.transferId,
  correlationId: envelope.correlationId,
  traceparent,
  payload: { transferId: p.transferId, payer: p.payer, decision: assessment.decision, score: assessment.score, reasons: assessment.reasons.map((r) => r.code) },
});

export async function assessTransfer(ctx: PaymentsContext, envelope: Envelope): Promise<FraudAssessment | null> {
  const p = pixInitiatedPayload.parse(envelope.payload);
  // A devolução is not the customer's own spending: it neither counts towards nor is judged by the velocity rule.
  const recentTransferCount = p.refundOf ? 0 : await recordAndCountRecent(ctx.redis, p.payer.accountId, p.transferId, new Date(p.initiatedAt));
  const assessment = score(p, recentTransferCount);
  const applied = await applyOnce(ctx.pool, FRAUD_CONSUMER, envelope, async (client) => {
    await client.query('UPDATE pix_transfers SET fraud_score = $2, fraud_reasons = $3 WHERE id = $1', [p.transferId, assessment.score, JSON.stringify(assessment.reasons)]);
    await enqueue(client, decision(envelope, p, assessment, envelope.traceparent), ctx.clock());
  });
  if (applied) ctx.logger.info({ transferId: p.transferId, decision: assessment.decision, score: assessment.score }, 'fraud assessment');
  return applied ? assessment : null;
}

/**
 * `assessTransfer` for a batch of `pix.initiated` (in offset order), with the same outcome as one at a time: the
 * velocity counters in one Redis MULTI, then one transaction (inbox claim, one UPDATE of the scores, one outbox
 * insert). Returns each event's assessment, or null for an event already applied (or repeated in the batch).
 */
export async function assessTransfers(ctx: PaymentsContext, items: { envelope: Envelope; traceparent?: string | undefined }[]): Promise<(FraudAssessment | null)[]> {
  const payloads = items.map((i) => pixInitiatedPayload.parse(i.envelope.payload));
  // Devoluções stay out of the velocity counters, as one at a time.
  const counted = payloads.filter((p) => !p.refundOf);
  const counts = await recordAndCountRecentMany(
    ctx.redis,
    counted.map((p) => ({ accountId: p.payer.accountId, transferId: p.transferId, at: new Date(p.initiatedAt) })),
  );
  const countOf = new Map(counted.map((p, i) => [p, counts[i]!] as const));
  const assessments = payloads.map((p) => score(p, countOf.get(p) ?? 0));
  const index = new Map(items.map((item, i) => [item.envelope.eventId, i] as const).reverse());
  const claimed = await applyOnceBatch(
    ctx.pool,
    FRAUD_CONSUMER,
    items.map((i) => i.envelope),
    async (client, fresh) => {
      const applied = fresh.map((e) => index.get(e.eventId)!);
      // The last assessment of a transfer wins, as it would one at a time.
      const scores = new Map(applied.map((i) => [payloads[i]!.transferId, assessments[i]!] as const));
      await client.query(
        'UPDATE pix_transfers t SET fraud_score = v.score, fraud_reasons = v.reasons FROM unnest($1::uuid[], $2::int[], $3::jsonb[]) AS v(id, score, reasons) WHERE t.id = v.id',
        [[...scores.keys()], [...scores.values()].map((a) => a.score), [...scores.values()].map((a) => JSON.stringify(a.reasons))],
      );
      await enqueueMany(
        client,
        applied.map((i) => decision(items[i]!.envelope, payloads[i]!, assessments[i]!, items[i]!.traceparent ?? items[i]!.envelope.traceparent)),
        ctx.clock(),
      );
    },
  );
  const appliedIndexes = new Set(claimed.map((e) => index.get(e.eventId)!));
  for (const i of appliedIndexes) ctx.logger.info({ transferId: payloads[i]!.transferId, decision: assessments[i]!.decision, score: assessments[i]!.score }, 'fraud assessment');
  return assessments.map((a, i) => (appliedIndexes.has(i) ? a : null));
}
