// PIX: keys, transfers and their devoluções (refunds), the transaction PIN, receipts and the live status event.
import { z } from 'zod';
import { apiMoneySchema, instantSchema } from './money';

export const pixKeyTypeSchema = z.enum(['CPF', 'EMAIL', 'PHONE', 'EVP']);
export type PixKeyType = z.infer<typeof pixKeyTypeSchema>;

export const pixKeyItemSchema = z.object({ id: z.string(), type: pixKeyTypeSchema, value: z.string(), createdAt: instantSchema });
export type PixKeyItem = z.infer<typeof pixKeyItemSchema>;

/** GET /api/v1/pix/keys: the customer's keys and how many they may have. */
export const pixKeyListSchema = z.object({ items: z.array(pixKeyItemSchema), max: z.number().int() });
export type PixKeyList = z.infer<typeof pixKeyListSchema>;

/** POST /api/v1/pix/keys: EVP without a value (the bank makes it); CPF, e-mail and phone with theirs. */
export const pixKeyCreateSchema = z.object({ type: pixKeyTypeSchema, value: z.string().optional() });
export type PixKeyCreate = z.infer<typeof pixKeyCreateSchema>;

/** GET /api/v1/pix/keys/resolve?key=: who a key pays (DICT), shown before the customer confirms. */
export const resolvedKeySchema = z.object({
  key: z.string(),
  type: pixKeyTypeSchema,
  holderName: z.string(),
  cpf: z.string(),
  bank: z.string(),
  ispb: z.string(),
  agency: z.string(),
  account: z.string(),
});
export type ResolvedKey = z.infer<typeof resolvedKeySchema>;

export const transferStatusSchema = z.enum(['PENDING', 'COMPLETED', 'FAILED']);
export type TransferStatus = z.infer<typeof transferStatusSchema>;

/** One side of a PIX as its detail shows it (CPF masked). */
export const partySchema = z.object({ name: z.string(), cpf: z.string(), bank: z.string(), ispb: z.string(), agency: z.string(), account: z.string() });
export type Party = z.infer<typeof partySchema>;

/** One devolução of a PIX, as its original lists it. */
export const transferRefundSchema = z.object({ id: z.string(), amount: apiMoneySchema, status: transferStatusSchema, createdAt: instantSchema, endToEndId: z.string() });
export type TransferRefund = z.infer<typeof transferRefundSchema>;

/** GET /api/v1/pix/transfers/{id} (and each item of GET /api/v1/pix/transfers). */
export const transferSchema = z.object({
  id: z.string(),
  /** From the reader's side: a PIX they sent or one they received. */
  direction: z.enum(['SENT', 'RECEIVED']),
  status: transferStatusSchema,
  failureCode: z.string().optional(),
  failureReason: z.string().optional(),
  amount: apiMoneySchema,
  description: z.string(),
  endToEndId: z.string(),
  payer: partySchema,
  /** `key` is the key paid (masked); absent on a devolução, which goes back to the original payer. */
  receiver: partySchema.extend({ key: z.string().optional(), keyType: pixKeyTypeSchema.optional() }),
  createdAt: instantSchema,
  completedAt: instantSchema.optional(),
  failedAt: instantSchema.optional(),
  /** "PIX" for a PIX, "REFUND" for a devolução (a return of part or all of a received PIX to its payer). */
  kind: z.enum(['PIX', 'REFUND']),
  /** On a devolução: the id of the PIX it returns. */
  refundOf: z.string().optional(),
  /** On an original: the sum of its returns that did not fail. */
  refundedAmount: apiMoneySchema.optional(),
  /** On an original: its returns, in the order they were made. */
  refunds: z.array(transferRefundSchema).optional(),
  /** Only when the reader received this completed PIX and may still return it: what can still be returned. */
  refundableAmount: apiMoneySchema.optional(),
  /** With refundableAmount: the first instant at which the PIX can no longer be returned. */
  refundDeadline: instantSchema.optional(),
});
export type Transfer = z.infer<typeof transferSchema>;

/** GET /api/v1/pix/transfers */
export const transferPageSchema = z.object({ items: z.array(transferSchema), nextCursor: z.string().nullable() });
export type TransferPage = z.infer<typeof transferPageSchema>;

/** POST /api/v1/pix/transfers */
export const transferCreateSchema = z.object({ key: z.string(), amount: apiMoneySchema, description: z.string().optional(), pin: z.string() });
export type TransferCreate = z.infer<typeof transferCreateSchema>;

/** 202 of POST /api/v1/pix/transfers: accepted; the saga goes on and the outcome arrives as a `pix.status` event. */
export const transferAcceptedSchema = z.object({ id: z.string(), status: z.literal('PENDING'), endToEndId: z.string(), amount: apiMoneySchema, createdAt: instantSchema });
export type TransferAccepted = z.infer<typeof transferAcceptedSchema>;

/** POST /api/v1/pix/transfers/{id}/refunds */
export const refundCreateSchema = z.object({ amount: apiMoneySchema, description: z.string().optional(), pin: z.string() });
export type RefundCreate = z.infer<typeof refundCreateSchema>;

/** 202 of POST /api/v1/pix/transfers/{id}/refunds */
export const refundAcceptedSchema = transferAcceptedSchema.extend({ refundOf: z.string() });
export type RefundAccepted = z.infer<typeof refundAcceptedSchema>;

/** GET /api/v1/pix/pin: the customer's transaction PIN, never its value. */
export const transactionPinStatusSchema = z.object({
  status: z.enum(['NOT_SET', 'ACTIVE', 'LOCKED']),
  attemptsLeft: z.number().int().min(0),
  lockedUntil: z.string().nullable(),
});
export type TransactionPinStatus = z.infer<typeof transactionPinStatusSchema>;

/** The `pix.status` server-sent event (GET /api/v1/events). */
export const pixStatusEventSchema = z.object({
  transferId: z.string(),
  status: transferStatusSchema,
  direction: z.enum(['SENT', 'RECEIVED']).optional(),
  amount: apiMoneySchema.optional(),
  failureReason: z.string().nullable().optional(),
});
export type PixStatusEvent = z.infer<typeof pixStatusEventSchema>;

const publicPartySchema = z.object({ name: z.string(), cpf: z.string(), bank: z.string(), ispb: z.string() });
/** GET /api/v1/receipts/verify (public): whether a receipt's authentication code is genuine. */
export const receiptVerificationSchema = z.object({
  valid: z.boolean(),
  receipt: z
    .object({ endToEndId: z.string(), status: z.literal('COMPLETED'), amount: apiMoneySchema, completedAt: instantSchema, payer: publicPartySchema, receiver: publicPartySchema })
    .optional(),
});
export type ReceiptVerification = z.infer<typeof receiptVerificationSchema>;

/** POST /api/v1/pix/pin (the first PIN) and PUT /api/v1/pix/pin (a new one, after a recent sign-in): 4 digits. */
export const transactionPinSetSchema = z.object({ pin: z.string() });
export type TransactionPinSet = z.infer<typeof transactionPinSetSchema>;
