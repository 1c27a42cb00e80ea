// Payments' business metrics, registered on the process's one Prometheus registry (@krt/platform/telemetry) and derived
// from what the outbox relay published (OutboxRelay's `onPublished`, wired in apps/payments/src/main.ts): the relay
// publishes every event of payments' database, the consumers' included, once Kafka acknowledged it.
import { PIX_FAILURE_CODES } from '@krt/contracts';
import { labelValue, registry } from '@krt/platform/telemetry';
import client from 'prom-client';

export const sagaOutcomes = new client.Counter({
  name: 'pix_saga_outcomes_total',
  help: 'PIX transfers that reached a final state, by result (completed, failed) and reason: the failure code of pix.failed (FRAUD_SUSPECTED, DEADLINE_EXPIRED; other when absent or unknown), none when completed.',
  labelNames: ['result', 'reason'] as const,
  registers: [registry],
});

export const fraudDecisions = new client.Counter({
  name: 'fraud_decisions_total',
  help: 'Fraud assessments by decision (APPROVED, REJECTED).',
  labelNames: ['decision'] as const,
  registers: [registry],
});

export const fraudReasons = new client.Counter({
  name: 'fraud_reasons_total',
  help: 'Fraud rules that fired, by rule code.',
  labelNames: ['reason'] as const,
  registers: [registry],
});

const KNOWN_PIX_FAILURES: ReadonlySet<unknown> = new Set(PIX_FAILURE_CODES);

/** The `reason` of a failed PIX: its machine code when it is a known one, else `other` (an older event without a code, a code this process does not know). */
function pixFailureLabel(code: unknown): string {
  return KNOWN_PIX_FAILURES.has(code) ? (code as string) : 'other';
}

/** Derives saga and fraud metrics from a published event: the payments relay's `onPublished`. */
export function recordPaymentsEvent(topic: string, payload: unknown): void {
  const p = (payload ?? {}) as { failureCode?: unknown; decision?: unknown; reasons?: unknown };
  if (topic === 'pix.completed') sagaOutcomes.inc({ result: 'completed', reason: 'none' });
  else if (topic === 'pix.failed') sagaOutcomes.inc({ result: 'failed', reason: pixFailureLabel(p.failureCode) });
  else if (topic === 'fraud.cleared' || topic === 'fraud.detected') {
    fraudDecisions.inc({ decision: labelValue(p.decision, topic === 'fraud.cleared' ? 'APPROVED' : 'REJECTED') });
    if (Array.isArray(p.reasons)) for (const r of p.reasons) fraudReasons.inc({ reason: labelValue(r, 'unknown') });
  }
}
