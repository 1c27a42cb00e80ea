import { describe, expect, it } from 'vitest';
import {
  isPendingDeadlinePassed,
  isTerminal,
  PIX_PENDING_DEADLINE_MS,
  PIX_TRANSFER_EVENTS,
  PIX_TRANSFER_STATUSES,
  type PixTransferEvent,
  type PixTransferStatus,
  STATUS_LABELS,
  transition,
} from './pix-transfer.state-machine';

describe('PIX transfer state machine', () => {
  it.each<[PixTransferEvent, PixTransferStatus]>([
    ['SETTLED', 'COMPLETED'],
    ['FRAUD_DETECTED', 'FAILED'],
    ['SETTLEMENT_FAILED', 'FAILED'],
    ['DEADLINE_EXPIRED', 'FAILED'],
  ])('PENDING --%s--> %s', (event, to) => {
    const result = transition('PENDING', event);
    expect(result.ok && result.value).toBe(to);
  });

  it('terminal states accept no event', () => {
    for (const from of ['COMPLETED', 'FAILED'] as const) {
      for (const event of PIX_TRANSFER_EVENTS) {
        const result = transition(from, event);
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.error.code).toBe('PIX_TRANSFER_ILLEGAL_TRANSITION');
          expect(result.error.message).toContain(STATUS_LABELS[from]);
          expect(result.error.message).toContain(event);
        }
      }
    }
  });

  it('a completed transfer cannot fail afterwards (no double compensation)', () => {
    expect(transition('COMPLETED', 'DEADLINE_EXPIRED').ok).toBe(false);
  });

  it('rejects unknown values at runtime', () => {
    expect(transition('CANCELLED' as PixTransferStatus, 'SETTLED').ok).toBe(false);
    expect(transition('PENDING', 'REFUNDED' as PixTransferEvent).ok).toBe(false);
  });

  it('only PENDING is non-terminal', () => {
    expect(PIX_TRANSFER_STATUSES.filter((s) => !isTerminal(s))).toEqual(['PENDING']);
  });

  it('has a Portuguese label per status', () => {
    for (const status of PIX_TRANSFER_STATUSES) expect(STATUS_LABELS[status].length).toBeGreaterThan(0);
  });
});

describe('isPendingDeadlinePassed', () => {
  const createdAt = new Date('2024-05-10T12:00:00Z');

  it('is false before the deadline and true from it on', () => {
    expect(isPendingDeadlinePassed(createdAt, new Date(createdAt.getTime() + PIX_PENDING_DEADLINE_MS - 1))).toBe(false);
    expect(isPendingDeadlinePassed(createdAt, new Date(createdAt.getTime() + PIX_PENDING_DEADLINE_MS))).toBe(true);
  });

  it('accepts a custom deadline', () => {
    expect(isPendingDeadlinePassed(createdAt, new Date('2024-05-10T12:00:05Z'), 5_000)).toBe(true);
  });
});
