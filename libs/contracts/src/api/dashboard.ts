// GET /api/v1/dashboard: the home screen in one call, fanned out by the BFF. THE definition of the dashboard's shape:
// the BFF builds it (libs/bff/src/dashboard), its OpenAPI document is generated from it and the web reads it.
import { z } from 'zod';
import { balanceSchema, balancePointSchema, categoryAmountSchema, statementItemSchema } from './accounts';
import { apiMoneySchema } from './money';

/** The parts of the dashboard, each from one upstream call; a part that did not answer is null and named in `partial`. */
export const DASHBOARD_PARTS = ['balance', 'recent', 'monthInOut', 'spendingByCategory', 'balanceSeries', 'unreadNotifications', 'customer'] as const;
export const dashboardPartSchema = z.enum(DASHBOARD_PARTS);
export type DashboardPart = z.infer<typeof dashboardPartSchema>;

export const monthInOutSchema = z.object({ in: apiMoneySchema, out: apiMoneySchema });
export type MonthInOut = z.infer<typeof monthInOutSchema>;

export const dashboardSchema = z.object({
  balance: balanceSchema.nullable(),
  /** The latest statement lines (at most 5). */
  recent: z.array(statementItemSchema).nullable(),
  /** Credits and debits of the current month (São Paulo time). */
  monthInOut: monthInOutSchema.nullable(),
  spendingByCategory: z.array(categoryAmountSchema).nullable(),
  /** The end-of-day balance of the last 30 days, oldest first. */
  balanceSeries: z.array(balancePointSchema).nullable(),
  unreadNotifications: z.number().int().min(0).nullable(),
  customer: z.object({ fullName: z.string(), firstName: z.string() }).nullable(),
  /** The parts whose upstream did not answer (their fields are null); empty when everything answered. */
  partial: z.array(dashboardPartSchema),
});
export type Dashboard = z.infer<typeof dashboardSchema>;
