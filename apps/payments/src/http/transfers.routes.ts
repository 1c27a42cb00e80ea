// PIX transfers: send one (a saga, accepted with 202), read one, list them, and return a received one (devolução, issue #18).
import { createRoute } from '@hono/zod-openapi';
import { Money } from '@krt/domain';
import { getTransfer, initiatePixTransfer, listTransfers, PaymentsErrors, refundPixTransfer, type PaymentsContext } from '@krt/payments';
import { json, jsonBody, problems, security } from '@krt/platform/http';
import { customerOf, type PaymentsApi } from './openapi-kit';
import * as S from './schemas';

const tags = ['pix-transfers'];

/** The validated Idempotency-Key header; without a valid one, 400 IDEMPOTENCY_KEY_REQUIRED. */
function idempotencyKeyOf(header: { 'idempotency-key'?: string }): string {
  const key = header['idempotency-key'];
  if (!key) throw PaymentsErrors.idempotencyKeyMissing();
  return key;
}

export function registerTransferRoutes(api: PaymentsApi, ctx: PaymentsContext): void {
  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/pix/transfers',
      tags,
      security,
      request: { headers: S.requiredIdempotencyHeaders, ...jsonBody(S.transferCreateSchema) },
      responses: { 202: json(S.transferAcceptedSchema, 'Accepted; the saga continues asynchronously'), ...problems(400, 401, 403, 404, 422, 423) },
    }),
    async (c) => {
      const idempotencyKey = idempotencyKeyOf(c.req.valid('header'));
      const body = c.req.valid('json');
      const { transfer, replayed } = await initiatePixTransfer(ctx, {
        customerId: customerOf(c),
        idempotencyKey,
        key: body.key,
        amount: Money.of(body.amount),
        description: body.description,
        pin: body.pin,
        correlationId: c.var.correlationId,
        traceparent: c.req.header('traceparent'),
      });
      if (replayed) c.header('Idempotent-Replayed', 'true');
      c.header('Location', `/v1/pix/transfers/${transfer.id}`);
      return c.json(transfer, 202);
    },
  );
  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/pix/transfers/{id}',
      tags,
      security,
      request: { params: S.idParams },
      responses: { 200: json(S.transferDetailSchema, 'Transfer detail and receipt data'), ...problems(401, 403, 404, 422) },
    }),
    async (c) => c.json(await getTransfer(ctx, customerOf(c), c.req.valid('param').id), 200),
  );
  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/pix/transfers',
      tags,
      security,
      request: { query: S.pageQuery },
      responses: { 200: json(S.transferListSchema, 'The caller’s transfers (sent and received)'), ...problems(401, 403, 404, 422) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await listTransfers(ctx, customerOf(c), q.limit, q.cursor), 200);
    },
  );

  // ── devolução (issue #18) ──
  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/pix/transfers/{id}/refunds',
      tags,
      description: 'Returns all or part of a PIX the caller received (devolução, within 90 days; the returns never pass the original). Saga like a PIX.',
      security,
      request: { params: S.idParams, headers: S.requiredIdempotencyHeaders, ...jsonBody(S.refundCreateSchema) },
      responses: { 202: json(S.refundAcceptedSchema, 'Accepted; the return completes asynchronously'), ...problems(400, 401, 403, 404, 422, 423) },
    }),
    async (c) => {
      const idempotencyKey = idempotencyKeyOf(c.req.valid('header'));
      const body = c.req.valid('json');
      const { refund, replayed } = await refundPixTransfer(ctx, {
        customerId: customerOf(c),
        idempotencyKey,
        transferId: c.req.valid('param').id,
        amount: Money.of(body.amount),
        description: body.description,
        pin: body.pin,
        correlationId: c.var.correlationId,
        traceparent: c.req.header('traceparent'),
      });
      if (replayed) c.header('Idempotent-Replayed', 'true');
      c.header('Location', `/v1/pix/transfers/${refund.id}`);
      return c.json(refund, 202);
    },
  );
}
