// The caller's PIX limits (read, and change with the transaction PIN).
import { createRoute } from '@hono/zod-openapi';
import { Money } from '@krt/domain';
import { getLimits, updateLimits, type PaymentsContext } from '@krt/payments';
import { json, jsonBody, problems, security } from '@krt/platform/http';
import { customerOf, type PaymentsApi } from './openapi-kit';
import * as S from './schemas';

const tags = ['limits'];

export function registerLimitRoutes(api: PaymentsApi, ctx: PaymentsContext): void {
  api.openapi(
    createRoute({ method: 'get', path: '/v1/accounts/me/limits', tags, security, responses: { 200: json(S.limitsSchema, 'PIX limits'), ...problems(401, 403, 404) } }),
    async (c) => c.json(await getLimits(ctx, customerOf(c)), 200),
  );
  api.openapi(
    createRoute({
      method: 'put',
      path: '/v1/accounts/me/limits',
      tags,
      security,
      request: jsonBody(S.limitsUpdateSchema),
      responses: { 200: json(S.limitsSchema, 'PIX limits'), ...problems(400, 401, 403, 404, 422, 423) },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const limits = await updateLimits(
        ctx,
        customerOf(c),
        {
          perTransaction: b.perTransaction ? Money.of(b.perTransaction) : undefined,
          daily: b.daily ? Money.of(b.daily) : undefined,
          night: b.night ? Money.of(b.night) : undefined,
        },
        { pin: b.pin, correlationId: c.var.correlationId, traceparent: c.req.header('traceparent') },
      );
      return c.json(limits, 200);
    },
  );
}
