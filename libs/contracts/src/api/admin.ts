// The back office (/api/v1/admin/*, operators only): KYC review, customers, accounts, sandbox deposits under dual
// control, dead letters and the merged audit list.
import { z } from 'zod';
import { registrationStatusSchema } from './customers';
import { apiMoneySchema, instantSchema } from './money';
import { WIRE } from './wire';

export const kycDecisionSchema = z.object({
  decision: z.string(),
  decidedBy: z.string().nullable().optional(),
  decidedByName: z.string().nullable().optional(),
  reason: z.string().nullable().optional(),
  checks: z.unknown().optional(),
  decidedAt: instantSchema.nullable().optional(),
});
export type KycDecision = z.infer<typeof kycDecisionSchema>;

/** One automatic check of an application (what it looked at, its result and why). */
export const kycCheckSchema = z.object({
  name: z.string().optional(),
  check: z.string().optional(),
  result: z.string().optional(),
  status: z.string().optional(),
  passed: z.boolean().optional(),
  reason: z.string().nullable().optional(),
  reasons: z.array(z.string()).optional(),
  detail: z.string().nullable().optional(),
});
export type KycCheck = z.infer<typeof kycCheckSchema>;

/** An application in the KYC queue (list) or in full (GET /api/v1/admin/kyc/applications/{id}). */
export const kycApplicationSchema = z.object({
  applicationId: z.string(),
  status: registrationStatusSchema,
  fullName: z.string(),
  cpf: z.string().optional(),
  cpfMasked: z.string().optional(),
  birthDate: z.string().optional(),
  email: z.string().optional(),
  emailMasked: z.string().optional(),
  phone: z.string().optional(),
  phoneMasked: z.string().optional(),
  address: z.record(z.string(), z.string().nullable().optional()).nullable().optional(),
  document: z.object({ type: z.string().optional(), number: z.string().optional(), issuer: z.string().optional() }).nullable().optional(),
  documents: z.array(z.object({ kind: z.string(), contentType: z.string().optional(), sizeBytes: z.number().optional() })).nullable().optional(),
  reviewReasons: z.array(z.string()).nullable().optional(),
  /** What the automatic KYC decided and what each check found. */
  automaticChecks: z.object({ outcome: z.string(), reason: z.string().nullable(), checks: z.unknown(), decidedAt: z.string().optional() }).nullable().optional(),
  checks: z.union([z.array(kycCheckSchema), z.record(z.string(), z.unknown())]).nullable().optional(),
  createdAt: instantSchema,
  decisions: z.array(kycDecisionSchema).optional(),
  decisionReason: z.string().nullable().optional(),
});
export type KycApplication = z.infer<typeof kycApplicationSchema>;

export const kycPageSchema = z.object({ items: z.array(kycApplicationSchema), nextCursor: z.string().nullable() });
export type KycPage = z.infer<typeof kycPageSchema>;

/** One hit of GET /api/v1/admin/customers (by CPF or name). */
export const customerHitSchema = z.object({
  /** Keycloak user id (null until the account is provisioned). */
  customerId: z.string().nullable(),
  /** The application's id: also the KRT customer id, by which payments finds the account. */
  applicationId: z.string(),
  fullName: z.string(),
  cpfMasked: z.string().optional(),
  email: z.string().optional(),
  status: z.string(),
  createdAt: instantSchema.optional(),
  accountId: z.string().nullable().optional(),
});
export type CustomerHit = z.infer<typeof customerHitSchema>;

export const accountTransferSchema = z.object({
  id: z.string(),
  direction: z.enum(['SENT', 'RECEIVED']),
  amount: apiMoneySchema,
  counterpartyName: z.string().nullable().optional(),
  status: z.string(),
  createdAt: instantSchema,
});
export type AccountTransfer = z.infer<typeof accountTransferSchema>;

/** GET /api/v1/admin/accounts?customerId=|accountId= (and the answer of block/unblock, with `sessionsEnded`). */
export const accountViewSchema = z.object({
  accountId: z.string(),
  customerId: z.string(),
  keycloakUserId: z.string().nullable().optional(),
  holderName: z.string(),
  agency: z.string().optional(),
  number: z.string().optional(),
  status: z.enum(['ACTIVE', 'BLOCKED', 'CLOSED']),
  blockedReason: z.string().nullable().optional(),
  blockedAt: instantSchema.nullable().optional(),
  balance: z.object({ posted: apiMoneySchema, available: apiMoneySchema }),
  lastTransfers: z.array(accountTransferSchema),
  /** Only on a block: how many of the customer's sessions ended (null when they could not be ended). */
  sessionsEnded: z.number().int().nullable().optional(),
});
export type AccountView = z.infer<typeof accountViewSchema>;

export const depositStatusSchema = z.enum(['PENDING', 'APPROVED', 'REJECTED', 'EXPIRED']);
export type DepositStatus = z.infer<typeof depositStatusSchema>;

/** A sandbox deposit request (dual control: one operator asks, another approves). */
export const depositRequestSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  holderName: z.string().nullable().optional(),
  amount: apiMoneySchema,
  description: z.string().nullable().optional(),
  reason: z.string(),
  status: depositStatusSchema,
  requestedBy: z.string(),
  requestedByName: z.string().nullable().optional(),
  requestedAt: instantSchema,
  expiresAt: instantSchema,
  decidedBy: z.string().nullable().optional(),
  decidedByName: z.string().nullable().optional(),
  decidedAt: instantSchema.nullable().optional(),
  decisionReason: z.string().nullable().optional(),
  journalId: z.string().nullable().optional(),
});
export type DepositRequest = z.infer<typeof depositRequestSchema>;

export const deadLetterSourceSchema = z.enum(['kafka', 'rabbitmq']);
export type DeadLetterSource = z.infer<typeof deadLetterSourceSchema>;

export const deadLetterSchema = z.object({
  id: z.string(),
  source: deadLetterSourceSchema,
  topic: z.string().optional(),
  queue: z.string().optional(),
  partition: z.number().int().optional(),
  offset: z.union([z.string(), z.number()]).optional(),
  key: z.string().nullable().optional(),
  originalTopic: z.string().nullable().optional(),
  error: z.string().nullable().optional(),
  failedAt: instantSchema.nullable().optional(),
  payload: z.unknown(),
  replayedAt: instantSchema.nullable().optional(),
});
export type DeadLetter = z.infer<typeof deadLetterSchema>;

export const AUDIT_SERVICES = ['payments', 'onboarding', 'notifications'] as const;
export const auditServiceSchema = z.enum(AUDIT_SERVICES);

/** One entry of a service's append-only audit log. */
export const auditEntrySchema = z.object({
  id: z.string(),
  service: z.string(),
  occurredAt: instantSchema,
  actorId: z.string(),
  actorName: z.string().nullable(),
  action: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  reason: z.string().nullable(),
  correlationId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** The most entries one page of the merged audit list holds. */
export const AUDIT_LIST_MAX_LIMIT = 200;

/** What GET /api/v1/admin/audit answers (422 VALIDATION_FAILED, field code INVALID) for a bad limit, service or cursor. */
export const AUDIT_QUERY_INVALID = {
  limit: `Informe um limite de 1 a ${AUDIT_LIST_MAX_LIMIT}.`,
  service: 'Serviço desconhecido: payments, onboarding ou notifications.',
  cursor: 'Cursor de paginação inválido.',
} as const;

/** A filter the BFF passes to every service as given (empty included): each service validates it; `wire` says how. */
const passedThrough = (wire: Record<string, unknown>) => z.string().meta(wire).optional();

/**
 * GET /api/v1/admin/audit's query. The BFF validates `service`, `limit` and `cursor` with it (and the cursor must be one
 * it gave out); the filters go to every service as given, which refuses a bad one (422, its own field errors). The
 * BFF's OpenAPI document generates the route's parameters from it.
 */
export const auditListQuerySchema = z.object({
  actor: passedThrough({ ...WIRE.singleLine(200, 1), description: 'Operator: Keycloak id or user name (no control characters)' }),
  action: passedThrough({ ...WIRE.singleLine(100, 1), example: 'deposit.approved' }),
  subjectId: passedThrough(WIRE.singleLine(200, 1)),
  from: passedThrough({ format: 'date-time', description: 'From (inclusive)' }),
  to: passedThrough({ format: 'date-time', description: 'Until (exclusive)' }),
  service: z.enum(AUDIT_SERVICES, { error: AUDIT_QUERY_INVALID.service }).optional(),
  limit: z.coerce
    .number({ error: AUDIT_QUERY_INVALID.limit })
    .int({ error: AUDIT_QUERY_INVALID.limit })
    .min(1, { error: AUDIT_QUERY_INVALID.limit })
    .max(AUDIT_LIST_MAX_LIMIT, { error: AUDIT_QUERY_INVALID.limit })
    .default(50),
  cursor: z.string().max(2000, { error: AUDIT_QUERY_INVALID.cursor }).meta({ description: 'The nextCursor of the previous page' }).optional(),
});
export type AuditListQuery = z.infer<typeof auditListQuerySchema>;

/** GET /api/v1/admin/audit: every service's audit log as one list, newest first. */
export const auditListSchema = z.object({
  items: z.array(auditEntrySchema),
  nextCursor: z.string().nullable().describe('The cursor of the next (older) page; null on the last'),
  partial: z.array(auditServiceSchema).describe('Services that did not answer'),
});
export type AuditList = z.infer<typeof auditListSchema>;

/** The body of an operator's decision that needs a reason (reject, block, unblock, replay). */
export const operatorReasonSchema = z.object({ reason: z.string() });
export type OperatorReason = z.infer<typeof operatorReasonSchema>;

/** POST /api/v1/admin/deposit-requests (with an Idempotency-Key). */
export const depositRequestCreateSchema = z.object({ accountId: z.string(), amount: apiMoneySchema, description: z.string().optional(), reason: z.string() });
export type DepositRequestCreate = z.infer<typeof depositRequestCreateSchema>;

/** POST /api/v1/admin/dead-letters/{id}/replay */
export const deadLetterReplaySchema = z.object({
  replayed: z.boolean(),
  id: z.string(),
  source: deadLetterSourceSchema.optional(),
  originalTopic: z.string().optional(),
  key: z.string().nullable().optional(),
  replayedAt: instantSchema.optional(),
  alreadyReplayedAt: instantSchema.optional(),
});
export type DeadLetterReplay = z.infer<typeof deadLetterReplaySchema>;
