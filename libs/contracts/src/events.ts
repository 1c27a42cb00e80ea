// Integration events: one envelope for all, topic names, and payload schemas validated on both sides.
import { z } from 'zod';

export const TOPICS = {
  accountCreated: 'account.created',
  pixInitiated: 'pix.initiated',
  pixCompleted: 'pix.completed',
  pixFailed: 'pix.failed',
  fraudDetected: 'fraud.detected',
  fraudCleared: 'fraud.cleared',
  pixPinLocked: 'pix.pin-locked',
  customerContactChanged: 'customer.contact-changed',
} as const;
export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

/** Dead-letter topic for a topic: poison messages land there after bounded retries. */
export const deadLetterTopic = (topic: string) => `${topic}.dlt`;

/** Centavos travel as a decimal string of an integer (JSON has no bigint). */
export const centavosSchema = z.string().regex(/^-?\d{1,15}$/, 'centavos must be an integer string');

export const envelopeSchema = z.object({
  eventId: z.string().uuid(),
  type: z.string().min(1),
  occurredAt: z.string().datetime({ offset: true }),
  aggregateId: z.string().min(1),
  correlationId: z.string().min(1).max(128),
  traceparent: z.string().optional(),
  schemaVersion: z.number().int().positive(),
  payload: z.unknown(),
});
export type Envelope<P = unknown> = Omit<z.infer<typeof envelopeSchema>, 'payload'> & { payload: P };

export const accountCreatedPayload = z.object({
  customerId: z.string().uuid(),
  keycloakUserId: z.string().min(1),
  fullName: z.string().min(1),
  cpf: z.string().regex(/^\d{11}$/),
  email: z.string().email(),
  phone: z.string().regex(/^\+55\d{10,11}$/),
  /** The transaction PIN chosen at registration, as its keyed hash (@krt/platform/transaction-pin); never the PIN. */
  transactionPinHash: z.string().regex(/^[A-Za-z0-9_-]{43}$/).optional(),
});

const pixParty = z.object({ customerId: z.string().uuid(), accountId: z.string().uuid() });

export const pixInitiatedPayload = z.object({
  transferId: z.string().uuid(),
  endToEndId: z.string().length(32),
  payer: pixParty,
  receiver: pixParty,
  amountCentavos: centavosSchema,
  description: z.string().max(140).optional(),
  firstTimeRecipient: z.boolean(),
  payerPerTransactionLimitCentavos: centavosSchema,
  initiatedAt: z.string().datetime({ offset: true }),
  /** Set on a PIX devolução: the id of the PIX it returns (payer and receiver are the original's, swapped). */
  refundOf: z.string().uuid().optional(),
});

export const fraudDecisionPayload = z.object({
  transferId: z.string().uuid(),
  payer: pixParty,
  decision: z.enum(['APPROVED', 'REJECTED']),
  score: z.number(),
  reasons: z.array(z.string()),
  /** The transfer's amount, so the customer's security alert can name it (optional: older producers omit it). */
  amountCentavos: centavosSchema.optional(),
});

export const pixCompletedPayload = z.object({
  transferId: z.string().uuid(),
  endToEndId: z.string().length(32),
  payer: pixParty,
  receiver: pixParty,
  amountCentavos: centavosSchema,
  completedAt: z.string().datetime({ offset: true }),
  /** Set on a PIX devolução: the id of the PIX it returns. */
  refundOf: z.string().uuid().optional(),
});

/**
 * Machine codes of a failed PIX (pix.failed `failureCode`, the transfer detail's `failureCode`): FRAUD_SUSPECTED (the
 * fraud analysis rejected it), DEADLINE_EXPIRED (the saga did not finish in time; the sweeper failed it),
 * PAYEE_ACCOUNT_BLOCKED (an operator blocked the receiver's account before the PIX settled; issue #19).
 */
export const PIX_FAILURE_CODES = ['FRAUD_SUSPECTED', 'DEADLINE_EXPIRED', 'PAYEE_ACCOUNT_BLOCKED'] as const;
export type PixFailureCode = (typeof PIX_FAILURE_CODES)[number];

export const pixFailedPayload = z.object({
  transferId: z.string().uuid(),
  endToEndId: z.string().length(32),
  payer: pixParty,
  receiver: pixParty,
  amountCentavos: centavosSchema,
  /** pt-BR, for the customer (notifications show it). */
  reason: z.string(),
  /** The machine code of `reason` (PIX_FAILURE_CODES; a string so a newer code does not break an older consumer). Absent on older events. */
  failureCode: z.string().optional(),
  failedAt: z.string().datetime({ offset: true }),
  /** Set on a PIX devolução: the id of the PIX it returns. */
  refundOf: z.string().uuid().optional(),
});

/** Payments locked the customer's PIX after the third wrong transaction PIN in a row (issue #23), until `lockedUntil`. */
export const pixPinLockedPayload = z.object({
  customerId: z.string().uuid(),
  accountId: z.string().uuid(),
  lockedUntil: z.string().datetime({ offset: true }),
});

/**
 * The customer changed their e-mail or phone in the profile (onboarding): the contact data as it is now, keyed by the
 * customer id. `changedAt` is the contact's version: strictly greater than the one before for the same customer, and
 * later than the `account.created` it follows (that one's version is its envelope's `occurredAt`). A consumer that keeps
 * a copy of the contact applies an event only when it is newer than what it holds, so a replayed older event (an
 * `account.created` from the dead-letter topic) never brings back an old address.
 */
export const customerContactChangedPayload = z.object({
  customerId: z.string().uuid(),
  fullName: z.string().min(1),
  email: z.string().email(),
  phone: z.string().regex(/^\+55\d{10,11}$/),
  changedAt: z.string().datetime({ offset: true }),
});

/** The payload schema of each topic (version 1). */
export const PAYLOADS = {
  [TOPICS.accountCreated]: accountCreatedPayload,
  [TOPICS.pixInitiated]: pixInitiatedPayload,
  [TOPICS.pixCompleted]: pixCompletedPayload,
  [TOPICS.pixFailed]: pixFailedPayload,
  [TOPICS.fraudDetected]: fraudDecisionPayload,
  [TOPICS.fraudCleared]: fraudDecisionPayload,
  [TOPICS.pixPinLocked]: pixPinLockedPayload,
  [TOPICS.customerContactChanged]: customerContactChangedPayload,
} as const;

export type PayloadOf<T extends Topic> = z.infer<(typeof PAYLOADS)[T]>;
