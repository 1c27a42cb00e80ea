// The customer's account: the account itself, its balance, the statement, the PIX limits and the dashboard summary.
import { z } from 'zod';
import { apiMoneySchema, instantSchema } from './money';

/** GET /api/v1/accounts/me */
export const accountSchema = z.object({
  accountId: z.string(),
  customerId: z.string(),
  holderName: z.string(),
  agency: z.string(),
  number: z.string(),
  status: z.enum(['ACTIVE', 'BLOCKED', 'CLOSED']),
  createdAt: instantSchema,
});
export type Account = z.infer<typeof accountSchema>;

/** GET /api/v1/accounts/me/balance */
export const balanceSchema = z.object({
  accountId: z.string(),
  available: apiMoneySchema,
  posted: apiMoneySchema,
  reserved: apiMoneySchema,
  currency: z.literal('BRL'),
  asOf: instantSchema,
});
export type Balance = z.infer<typeof balanceSchema>;

export const statementKindSchema = z.enum(['DEPOSIT', 'PIX_IN', 'PIX_OUT', 'PIX_REVERSAL']);
export type StatementKind = z.infer<typeof statementKindSchema>;

/** One line of the statement. */
export const statementItemSchema = z.object({
  id: z.string(),
  occurredAt: instantSchema,
  type: z.enum(['CREDIT', 'DEBIT']),
  kind: statementKindSchema,
  amount: apiMoneySchema,
  description: z.string(),
  counterpartyName: z.string().nullable(),
  transferId: z.string().optional(),
  endToEndId: z.string().optional(),
});
export type StatementItem = z.infer<typeof statementItemSchema>;

/** A page of a keyset-paginated list: `nextCursor` is the cursor of the next page, null on the last. */
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** GET /api/v1/accounts/me/statement */
export const statementPageSchema = pageOf(statementItemSchema);
export type StatementPage = z.infer<typeof statementPageSchema>;

export const balancePointSchema = z.object({ date: z.string(), balance: apiMoneySchema });
export type BalancePoint = z.infer<typeof balancePointSchema>;

export const categoryAmountSchema = z.object({ category: z.string(), amount: apiMoneySchema });
export type CategoryAmount = z.infer<typeof categoryAmountSchema>;

/** Payments' GET /v1/accounts/me/summary: what the dashboard's money parts are made of (30-day series, month in/out). */
export const dashboardSummarySchema = z.object({
  accountId: z.string(),
  balance: apiMoneySchema,
  balanceSeries: z.array(balancePointSchema),
  monthIn: apiMoneySchema,
  monthOut: apiMoneySchema,
  spendingByCategory: z.array(categoryAmountSchema),
  recent: z.array(statementItemSchema),
});
export type DashboardSummary = z.infer<typeof dashboardSummarySchema>;

const limitValues = { perTransaction: apiMoneySchema, daily: apiMoneySchema, night: apiMoneySchema };
/** GET /api/v1/accounts/me/limits: the PIX limits, the night window and the bank's maxima. */
export const limitsSchema = z.object({
  ...limitValues,
  nightWindow: z.object({ start: z.string(), end: z.string(), timeZone: z.string() }),
  maxima: z.object(limitValues),
});
export type Limits = z.infer<typeof limitsSchema>;

/** PUT /api/v1/accounts/me/limits: at least one limit, and the transaction PIN. */
export const limitsUpdateSchema = z.object({
  perTransaction: apiMoneySchema.optional(),
  daily: apiMoneySchema.optional(),
  night: apiMoneySchema.optional(),
  pin: z.string(),
});
export type LimitsUpdate = z.infer<typeof limitsUpdateSchema>;
