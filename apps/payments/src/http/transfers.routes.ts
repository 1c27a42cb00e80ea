// PIX transfers: send one (a saga, accepted with 202), read one, list them, and return a received one (devolução, issue #18).
import { createRoute } from '@hono/zod-openapi';
import { Money } from '@krt/domain';
import { getTransfer, initiatePixTransfer, listTransfers, PaymentsErrors, refundPixTransfer, type PaymentsContext } from '@krt/payments';
import type { AuthEnv } from '@krt/platform/auth';
import { json, jsonBody, problems, security } from '@krt/platform/http';
import type { Context } from 'hono';
import { customerOf, type PaymentsApi } from './openapi-kit';
import * as S from './schemas';

const tags = ['pix-transfers'];

/** The validated Idempotency-Key header; without a valid one, 400 IDEMPOTENCY_KEY_REQUIRED. */
function idempotencyKeyOf(header: { 'idempotency-key'?: string }): string {
  const key = header['idempotency-key'];
  if (!key) throw PaymentsErrors.idempotencyKeyMissing();
  return key;
}

/**
 * The answer to a PIX or a devolução taken in: 202 with the Location of its transfer and, when the Idempotency-Key
 * had been seen before (the first request's answer again), Idempotent-Replayed.
 */
function accepted<T extends { id: string }>(c: Context, taken: { transfer: T; replayed: boolean }) {
  if (taken.replayed) c.header('Idempotent-Replayed', 'true');
  c.header('Location', `/v1/pix/transfers/${taken.transfer.id}`);
  return c.json(taken.transfer, 202);
}

/**
 * What a PIX and a devolução both ask for: the Idempotency-Key (400 without a valid one, before anything else), the
 * caller, the amount, description and PIN of the body, and the trace to carry on.
 */
function moneyRequest(c: Context<AuthEnv>, header: { 'idempotency-key'?: string }, body: { amount: string; description?: string; pin: string }) {
  const idempotencyKey = idempotencyKeyOf(header);
  return {
    customerId: customerOf(c),
    idempotencyKey,
    amount: Money.of(body.amount),
    description: body.description,
    pin: body.pin,
    correlationId: c.var.correlationId,
    traceparent: c.req.header('traceparent'),
  };
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
      const body = c.req.valid('json');
      const { transfer, replayed } = await initiatePixTransfer(ctx, { ...moneyRequest(c, c.req.valid('header'), body), key: body.key });
      return accepted(c, { transfer, replayed });
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
      const { refund, replayed } = await refundPixTransfer(ctx, { ...moneyRequest(c, c.req.valid('header'), c.req.valid('json')), transferId: c.req.valid('param').id });
      return accepted(c, { transfer: refund, replayed });
    },
  );
}
