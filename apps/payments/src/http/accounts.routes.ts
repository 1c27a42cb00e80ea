// The caller's account: the account itself, balance, statement (JSON and CSV) and the dashboard summary.
import { createRoute, z } from '@hono/zod-openapi';
import { Money } from '@krt/domain';
import { getMyAccount, getMyBalance, getStatement, getSummary, statementCsv, type PaymentsContext, type StatementFilters } from '@krt/payments';
import { json, problems, security } from '@krt/platform/http';
import { customerOf, type PaymentsApi } from './openapi-kit';
import * as S from './schemas';

const tags = ['accounts'];

const filtersOf = (q: z.infer<typeof S.statementQuery>): StatementFilters => ({
  from: q.from,
  to: q.to,
  type: q.type,
  minAmount: q.minAmount ? Money.of(q.minAmount) : undefined,
  maxAmount: q.maxAmount ? Money.of(q.maxAmount) : undefined,
  q: q.q,
});

export function registerAccountRoutes(api: PaymentsApi, ctx: PaymentsContext): void {
  api.openapi(
    createRoute({ method: 'get', path: '/v1/accounts/me', tags, security, responses: { 200: json(S.accountSchema, 'The caller’s account'), ...problems(401, 403, 404) } }),
    async (c) => c.json(await getMyAccount(ctx, customerOf(c)), 200),
  );
  api.openapi(
    createRoute({ method: 'get', path: '/v1/accounts/me/balance', tags, security, responses: { 200: json(S.balanceSchema, 'Balance'), ...problems(401, 403, 404) } }),
    async (c) => c.json(await getMyBalance(ctx, customerOf(c)), 200),
  );
  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/accounts/me/statement',
      tags,
      security,
      request: { query: S.statementQuery },
      responses: { 200: json(S.statementSchema, 'Statement page'), ...problems(401, 403, 404, 422) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await getStatement(ctx, customerOf(c), filtersOf(q), q.limit, q.cursor), 200);
    },
  );
  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/accounts/me/statement.csv',
      tags,
      security,
      request: { query: S.statementQuery },
      responses: { 200: { content: { 'text/csv': { schema: z.string() } }, description: 'Statement as CSV (;-separated, BRL amounts)' }, ...problems(401, 403, 404, 422) },
    }),
    async (c) => {
      const csv = await statementCsv(ctx, customerOf(c), filtersOf(c.req.valid('query')));
      return c.body(csv, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="extrato-krt.csv"' });
    },
  );
  api.openapi(
    createRoute({ method: 'get', path: '/v1/accounts/me/summary', tags, security, responses: { 200: json(S.summarySchema, 'Dashboard data'), ...problems(401, 403, 404) } }),
    async (c) => c.json(await getSummary(ctx, customerOf(c)), 200),
  );
}
