// zod schemas of the payments API (request validation and the OpenAPI document).
import { z } from '@hono/zod-openapi';
import { Money } from '@krt/domain';
import { dashboardSummarySchema, isSingleLineText, PIX_KEY_WIRE, requiredText, singleLineIssue, statementItemSchema as contractStatementItem, WIRE } from '@krt/contracts';

/** An API amount: "1500.00" (> 0, at most 2 decimals, at most 10 integer digits). */
export const positiveAmount = z
  .string()
  .superRefine((value, ctx) => {
    const parsed = Money.parse(value);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error.message, params: { code: parsed.error.code } });
    else if (!parsed.value.isPositive()) ctx.addIssue({ code: 'custom', message: 'O valor deve ser maior que zero.', params: { code: 'AMOUNT_NOT_POSITIVE' } });
  })
  .openapi({ ...WIRE.positiveAmount, description: 'Valor em reais, maior que zero: até 10 dígitos inteiros e até duas casas decimais' });

export const nonNegativeAmount = z
  .string()
  .superRefine((value, ctx) => {
    const parsed = Money.parse(value);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error.message, params: { code: parsed.error.code } });
  })
  .openapi({ ...WIRE.amount, description: 'Valor em reais: até 10 dígitos inteiros e até duas casas decimais' });

/** One line of text: no control characters, no lone surrogate (a NUL would fail in PostgreSQL as a 500). */
export const singleLine = (max: number) =>
  z
    .string()
    .superRefine((value, ctx) => {
      if (!isSingleLineText(value)) ctx.addIssue({ code: 'custom', ...singleLineIssue() });
      else if ([...value].length > max) ctx.addIssue({ code: 'custom', message: `Deve ter no máximo ${max} caracteres.`, params: { code: 'TOO_LONG' } });
    })
    .openapi(WIRE.singleLine(max));

/** PIX description (pacs.008 RmtInf): one line, at most 140 characters. */
export const description = z
  .string()
  .superRefine((value, ctx) => {
    if (!isSingleLineText(value)) ctx.addIssue({ code: 'custom', message: 'A descrição não pode ter caracteres de controle.', params: { code: 'DESCRIPTION_INVALID' } });
    else if ([...value].length > 140) ctx.addIssue({ code: 'custom', message: 'A descrição deve ter no máximo 140 caracteres.', params: { code: 'DESCRIPTION_TOO_LONG' } });
  })
  .openapi(WIRE.singleLine(140));

/** The transaction PIN (issue #23): exactly 4 digits. Missing or malformed is a 400 (see paymentsApi's hook). */
export const transactionPin = z
  .string()
  .superRefine((value, ctx) => {
    if (!/^[0-9]{4}$/.test(value)) ctx.addIssue({ code: 'custom', message: 'A senha de transação deve ter exatamente 4 números.', params: { code: 'PIN_FORMAT' } });
  })
  .openapi({ type: 'string', pattern: '^[0-9]{4}$', description: 'A senha de transação (4 números)', example: '4721' });

export const pinBodySchema = z.object({ pin: transactionPin }).strict().openapi('TransactionPinRequest');
export const pinStatusSchema = z
  .object({
    status: z.enum(['NOT_SET', 'ACTIVE', 'LOCKED']),
    attemptsLeft: z.number().int().min(0).max(3),
    lockedUntil: z.string().nullable().openapi({ description: 'Até quando o Pix fica bloqueado (ISO 8601), quando LOCKED' }),
  })
  .openapi('TransactionPinStatus');

/** A PIX key as typed or pasted: its type is detected, then checked (CPF digits, e-mail, +55 mobile, EVP). */
export const pixKey = z.string().min(1).max(77).openapi(PIX_KEY_WIRE);

export const amountOut = z.string().openapi({ example: '1500.00' });
const isoDate = z.iso.date({ message: 'Use uma data real no formato AAAA-MM-DD.' });


export const accountSchema = z
  .object({
    accountId: z.string().uuid(),
    customerId: z.string().uuid(),
    holderName: z.string(),
    agency: z.string(),
    number: z.string(),
    status: z.enum(['ACTIVE', 'BLOCKED', 'CLOSED']),
    createdAt: z.string(),
  })
  .openapi('Account');

export const balanceSchema = z
  .object({ accountId: z.string().uuid(), available: amountOut, posted: amountOut, reserved: amountOut, currency: z.literal('BRL'), asOf: z.string() })
  .openapi('Balance');

export const statementQuery = z.object({
  from: isoDate.optional(),
  to: isoDate.optional(),
  type: z.enum(['CREDIT', 'DEBIT']).optional(),
  minAmount: nonNegativeAmount.optional(),
  maxAmount: nonNegativeAmount.optional(),
  q: singleLine(100).optional(),
  cursor: z.string().max(200).optional().openapi({ description: 'Opaco: o nextCursor da página anterior.' }),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** A statement line and the dashboard summary: the public contract's shapes (@krt/contracts), named in this document. */
export const statementItemSchema = z.object(contractStatementItem.shape).openapi('StatementItem');

export const statementSchema = z.object({ items: z.array(statementItemSchema), nextCursor: z.string().nullable() }).openapi('Statement');

export const summarySchema = z.object(dashboardSummarySchema.shape).openapi('DashboardSummary');

const limitsShape = { perTransaction: amountOut, daily: amountOut, night: amountOut };
export const limitsSchema = z
  .object({ ...limitsShape, nightWindow: z.object({ start: z.string(), end: z.string(), timeZone: z.string() }), maxima: z.object(limitsShape) })
  .openapi('PixLimits');
export const limitsUpdateSchema = z
  .object({ perTransaction: nonNegativeAmount.optional(), daily: nonNegativeAmount.optional(), night: nonNegativeAmount.optional(), pin: transactionPin })
  .strict()
  .refine((b) => Object.keys(b).some((k) => k !== 'pin'), { message: 'Informe ao menos um limite para alterar.', params: { code: 'NOTHING_TO_CHANGE' } })
  .openapi({ minProperties: 2 });

export const pixKeyType = z.enum(['CPF', 'EMAIL', 'PHONE', 'EVP']);
export const pixKeySchema = z.object({ id: z.string().uuid(), type: pixKeyType, value: z.string(), createdAt: z.string() }).openapi('PixKey');
export const pixKeyListSchema = z.object({ items: z.array(pixKeySchema), max: z.number().int() });
export const pixKeyCreateSchema = z
  .object({ type: pixKeyType, value: z.string().max(200).optional() })
  .strict()
  .openapi({
    description: 'EVP: sem valor (o banco gera a chave). CPF: o do titular. E-mail e celular: na forma canônica.',
    oneOf: [
      { type: 'object', required: ['type'], properties: { type: { const: 'EVP' }, value: { const: '' } } },
      { type: 'object', required: ['type', 'value'], properties: { type: { const: 'CPF' }, value: WIRE.cpf } },
      { type: 'object', required: ['type', 'value'], properties: { type: { const: 'EMAIL' }, value: WIRE.email } },
      { type: 'object', required: ['type', 'value'], properties: { type: { const: 'PHONE' }, value: WIRE.phone } },
    ],
  });
export const resolvedKeySchema = z
  .object({ key: z.string(), type: pixKeyType, holderName: z.string(), cpf: z.string(), bank: z.string(), ispb: z.string(), agency: z.string(), account: z.string() })
  .openapi('ResolvedPixKey');

export const transferCreateSchema = z
  .object({
    key: pixKey,
    amount: positiveAmount,
    description: description.optional(),
    pin: transactionPin,
  })
  .strict()
  .openapi('PixTransferRequest');

export const transferAcceptedSchema = z
  .object({ id: z.string().uuid(), status: z.literal('PENDING'), endToEndId: z.string().length(32), amount: amountOut, createdAt: z.string() })
  .openapi('PixTransferAccepted');

const partySchema = z.object({ name: z.string(), cpf: z.string(), bank: z.string(), ispb: z.string(), agency: z.string(), account: z.string() });
export const transferDetailSchema = z
  .object({
    id: z.string().uuid(),
    direction: z.enum(['SENT', 'RECEIVED']),
    status: z.enum(['PENDING', 'COMPLETED', 'FAILED']),
    failureCode: z.string().optional(),
    failureReason: z.string().optional(),
    amount: amountOut,
    description: z.string(),
    endToEndId: z.string(),
    payer: partySchema,
    receiver: partySchema.extend({
      key: z.string().optional().openapi({ description: 'The key paid (masked); absent on a devolução, which goes back to the original payer' }),
      keyType: pixKeyType.optional(),
    }),
    createdAt: z.string(),
    completedAt: z.string().optional(),
    failedAt: z.string().optional(),
    kind: z.enum(['PIX', 'REFUND']).openapi({ description: 'REFUND: a devolução of the PIX named by refundOf' }),
    refundOf: z.string().uuid().optional(),
    refundedAmount: amountOut.optional().openapi({ description: 'On a PIX: the sum of its devoluções that did not fail' }),
    refunds: z.array(z.object({ id: z.string().uuid(), amount: amountOut, status: z.enum(['PENDING', 'COMPLETED', 'FAILED']), createdAt: z.string(), endToEndId: z.string() })).optional(),
    refundableAmount: amountOut.optional().openapi({ description: 'Only to the receiver of a completed PIX inside the 90-day window: what can still be returned' }),
    refundDeadline: z.string().optional().openapi({ description: 'Until when (exclusive) the receiver can return it' }),
  })
  .openapi('PixTransfer');
export const refundCreateSchema = z
  .object({ amount: positiveAmount, description: description.optional(), pin: transactionPin })
  .strict()
  .openapi('PixRefundRequest');
export const refundAcceptedSchema = z
  .object({ id: z.string().uuid(), status: z.literal('PENDING'), endToEndId: z.string().length(32), amount: amountOut, createdAt: z.string(), refundOf: z.string().uuid() })
  .openapi('PixRefundAccepted');
export const transferListSchema = z.object({ items: z.array(transferDetailSchema), nextCursor: z.string().nullable() });
export const pageQuery = z.object({ cursor: z.string().max(200).optional().openapi({ description: 'Opaco: o nextCursor da página anterior.' }), limit: z.coerce.number().int().min(1).max(100).default(20) });

// ── back office (issue #19) ──
/** An operator's reason: one line, 3 to 500 characters. */
export const operatorReason = z
  .string()
  .superRefine((value, ctx) => {
    if (!isSingleLineText(value)) ctx.addIssue({ code: 'custom', ...singleLineIssue() });
    else if ([...value].length < 3 || value.trim() === '') ctx.addIssue({ code: 'custom', message: 'Informe o motivo (pelo menos 3 caracteres).', params: { code: 'REASON_REQUIRED' } });
    else if ([...value].length > 500) ctx.addIssue({ code: 'custom', message: 'Deve ter no máximo 500 caracteres.', params: { code: 'TOO_LONG' } });
  })
  .openapi({ ...requiredText(500), minLength: 3, description: 'Motivo informado pelo operador (fica no registro de auditoria)' });

/** An Idempotency-Key: 1 to 128 of [A-Za-z0-9_-]. */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * The Idempotency-Key a money-moving POST requires, read as a valid key or undefined. The handler refuses undefined with
 * 400 IDEMPOTENCY_KEY_REQUIRED (a code clients rely on) once the body has passed its own validation, as before; the
 * OpenAPI document marks the header required (openApiDocument).
 */
export const requiredIdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .optional()
    .transform((key) => (key !== undefined && IDEMPOTENCY_KEY.test(key) ? key : undefined))
    .openapi({ description: 'Required; 1–128 of [A-Za-z0-9_-]' }),
});

/** An optional Idempotency-Key (deposit requests): the same key again answers the first request. */
export const optionalIdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(IDEMPOTENCY_KEY, 'De 1 a 128 caracteres: letras, números, "-" ou "_".')
    .optional()
    .openapi({ description: 'Idempotency-Key opcional: repetir a chave devolve o mesmo pedido, sem criar outro' }),
});

export const depositRequestCreateSchema = z
  .object({ accountId: z.string().uuid(), amount: positiveAmount, description: description.optional(), reason: operatorReason })
  .strict()
  .openapi('DepositRequestCreate');
export const reasonBodySchema = z.object({ reason: operatorReason }).strict().openapi('OperatorReason');
export const depositRequestStatus = z.enum(['PENDING', 'APPROVED', 'REJECTED', 'EXPIRED']);
export const depositRequestSchema = z
  .object({
    id: z.string().uuid(),
    accountId: z.string().uuid(),
    holderName: z.string(),
    amount: amountOut,
    description: z.string(),
    reason: z.string(),
    status: depositRequestStatus,
    requestedBy: z.string(),
    requestedByName: z.string().nullable(),
    requestedAt: z.string(),
    expiresAt: z.string(),
    decidedBy: z.string().nullable(),
    decidedByName: z.string().nullable(),
    decidedAt: z.string().nullable(),
    decisionReason: z.string().nullable(),
    journalId: z.string().uuid().nullable(),
  })
  .openapi('DepositRequest');
export const depositApprovalSchema = depositRequestSchema.extend({ posted: amountOut, available: amountOut }).openapi('DepositApproval');
export const depositRequestListSchema = z.object({ items: z.array(depositRequestSchema) }).openapi('DepositRequestList');
export const depositRequestQuery = z.object({ status: depositRequestStatus.optional(), accountId: z.string().uuid().optional() });
export const adminAccountQuery = z
  .object({
    customerId: z.string().min(1).max(64).regex(/^[A-Za-z0-9-]+$/).optional().openapi({ description: 'Id do cliente (KRT) ou do usuário no Keycloak' }),
    accountId: z.string().uuid().optional(),
  })
  .refine((q) => Boolean(q.customerId) !== Boolean(q.accountId), { message: 'Informe customerId ou accountId (um dos dois).', params: { code: 'ONE_OF_REQUIRED' } });
export const adminAccountSchema = z
  .object({
    accountId: z.string().uuid(),
    customerId: z.string().uuid(),
    keycloakUserId: z.string().nullable(),
    holderName: z.string(),
    agency: z.string(),
    number: z.string(),
    status: z.enum(['ACTIVE', 'BLOCKED', 'CLOSED']),
    blockedReason: z.string().nullable(),
    blockedAt: z.string().nullable(),
    balance: z.object({ posted: amountOut, available: amountOut }),
    lastTransfers: z.array(
      z.object({ id: z.string().uuid(), direction: z.enum(['SENT', 'RECEIVED']), amount: amountOut, counterpartyName: z.string(), status: z.string(), createdAt: z.string() }),
    ),
  })
  .openapi('AdminAccount');

/** Public receipt check: the EndToEndId and the code as printed (groups of four, any case); optionally the amount shown. */
const matching = (pattern: RegExp, code: string, message: string) =>
  z.string().superRefine((value, ctx) => {
    if (!pattern.test(value)) ctx.addIssue({ code: 'custom', message, params: { code } });
  });
export const receiptVerifyQuery = z.object({
  e2e: matching(/^[ED][0-9]{20}[A-Za-z0-9]{11}$/, 'END_TO_END_ID_INVALID', 'Informe o ID da transação (EndToEndId, ou o da devolução): 32 caracteres, começando com E (ou D).').openapi({
    description: 'O ID da transação (EndToEndId) impresso no comprovante',
    pattern: '^E[0-9]{20}[A-Za-z0-9]{11}$',
    example: 'E12345678202612061450abcdefghijk',
  }),
  code: matching(/^[A-Za-z2-7 .-]{1,64}$/, 'RECEIPT_CODE_INVALID', 'O código de autenticação tem 32 letras e números, em grupos de quatro.').openapi({
    description: 'O código de autenticação do comprovante (32 caracteres; espaços, pontos e hífens ignorados)',
    pattern: '^[A-Za-z2-7 .-]{1,64}$',
    maxLength: 64,
  }),
  amount: positiveAmount.optional().openapi({ description: 'O valor impresso no comprovante (opcional): também precisa conferir' }),
});
const publicPartySchema = z.object({ name: z.string(), cpf: z.string(), bank: z.string(), ispb: z.string() });
export const receiptVerificationSchema = z
  .object({
    valid: z.boolean(),
    receipt: z
      .object({ endToEndId: z.string(), status: z.literal('COMPLETED'), amount: amountOut, completedAt: z.string(), payer: publicPartySchema, receiver: publicPartySchema })
      .optional()
      .openapi({ description: 'Só quando valid: os dados não sensíveis do comprovante (nomes e CPFs mascarados)' }),
  })
  .openapi('ReceiptVerification');
export const idParams = z.object({ id: z.string().uuid() });
/** A POST that takes no input (`{}` or no body at all). */
export const emptyBodySchema = z.object({}).strict().openapi('EmptyBody');
