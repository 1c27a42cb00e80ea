import { fail, ok, type Result } from '../shared/result.util';

/**
 * PIX transfer lifecycle (saga, DESIGN §PIX saga):
 *
 *   PENDING ──SETTLED──────────▶ COMPLETED
 *   PENDING ──FRAUD_DETECTED───▶ FAILED
 *   PENDING ──SETTLEMENT_FAILED▶ FAILED
 *   PENDING ──DEADLINE_EXPIRED─▶ FAILED
 *
 * COMPLETED and FAILED are terminal. Replaying an event on a terminal transfer is an
 * illegal transition (consumers de-duplicate by event id before getting here).
 */
export const PIX_TRANSFER_STATUSES = ['PENDING', 'COMPLETED', 'FAILED'] as const;
export type PixTransferStatus = (typeof PIX_TRANSFER_STATUSES)[number];

export const PIX_TRANSFER_EVENTS = ['SETTLED', 'FRAUD_DETECTED', 'SETTLEMENT_FAILED', 'DEADLINE_EXPIRED'] as const;
export type PixTransferEvent = (typeof PIX_TRANSFER_EVENTS)[number];

/** How long a transfer may stay PENDING before the deadline fails and compensates it. */
export const PIX_PENDING_DEADLINE_MS = 60_000;

const TRANSITIONS: Readonly<Record<PixTransferStatus, Partial<Record<PixTransferEvent, PixTransferStatus>>>> = {
  PENDING: {
    SETTLED: 'COMPLETED',
    FRAUD_DETECTED: 'FAILED',
    SETTLEMENT_FAILED: 'FAILED',
    DEADLINE_EXPIRED: 'FAILED',
  },
  COMPLETED: {},
  FAILED: {},
};

export function transition(from: PixTransferStatus, event: PixTransferEvent): Result<PixTransferStatus> {
  const to = TRANSITIONS[from]?.[event];
  if (to === undefined) {
    return fail('PIX_TRANSFER_ILLEGAL_TRANSITION', {
      field: 'status',
      message: `A transferência Pix está ${STATUS_LABELS[from] ?? from} e não aceita o evento ${event}.`,
    });
  }
  return ok(to);
}

export function isTerminal(status: PixTransferStatus): boolean {
  return status !== 'PENDING';
}

/** True when a transfer created at `createdAt` and still pending should be failed at `at`. */
export function isPendingDeadlinePassed(createdAt: Date, at: Date, deadlineMs = PIX_PENDING_DEADLINE_MS): boolean {
  return at.getTime() - createdAt.getTime() >= deadlineMs;
}

/** pt-BR labels for the statement and notifications. */
export const STATUS_LABELS: Readonly<Record<PixTransferStatus, string>> = {
  PENDING: 'em processamento',
  COMPLETED: 'concluída',
  FAILED: 'não concluída',
};
