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
  balance: balanceSchema.nullable().describe('As GET /api/v1/accounts/me/balance'),
  recent: z.array(statementItemSchema).nullable().describe('The latest statement lines (at most 5), newest first'),
  monthInOut: monthInOutSchema.nullable().describe('Credits (in) and debits (out) of the current month, São Paulo time'),
  spendingByCategory: z.array(categoryAmountSchema).nullable().describe("This month's debits by category, largest first"),
  balanceSeries: z.array(balancePointSchema).nullable().describe('The end-of-day balance of the last 30 days, oldest first'),
  unreadNotifications: z.number().int().min(0).nullable(),
  customer: z.object({ fullName: z.string(), firstName: z.string() }).nullable(),
  partial: z.array(dashboardPartSchema).describe('The parts whose upstream did not answer (their fields are null); empty when everything answered'),
});
export type Dashboard = z.infer<typeof dashboardSchema>;
