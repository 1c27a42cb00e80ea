// The payments back office (issue #19): sandbox deposits under dual control, the account view with block / unblock,
// and the audit log. Every route is under /v1/admin (realm role `admin`, guarded by paymentsApi); every action is
// audited by its use case.
import { createRoute } from '@hono/zod-openapi';
import { Money } from '@krt/domain';
import {
  approveDepositRequest,
  blockAccount,
  getAdminAccount,
  listDepositRequests,
  rejectDepositRequest,
  requestDeposit,
  unblockAccount,
  type Operator,
  type PaymentsContext,
} from '@krt/payments';
import { json, jsonBody as body, problems, registerAuditRoute, security } from '@krt/platform/http';
import type { AuthEnv } from '@krt/platform/auth';
import type { Context } from 'hono';
import type { PaymentsApi } from './openapi-kit';
import * as S from './schemas';

const tags = ['admin'];
const idParam = { params: S.idParams };

const operatorOf = (c: Context<AuthEnv>): Operator => ({ id: c.var.principal.userId, name: c.var.principal.username, correlationId: c.var.correlationId });

export function registerAdminRoutes(api: PaymentsApi, ctx: PaymentsContext): void {
  // ── sandbox deposits, maker–checker ────────────────────────────────────────
  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/deposit-requests',
      tags,
      security,
      description: 'Pede um depósito de teste (sandbox) da conta caixa do banco para a conta do cliente. Nenhum dinheiro se move até outro operador aprovar. 403 SANDBOX_DEPOSITS_DISABLED em produção (salvo SANDBOX_DEPOSITS_ENABLED=true).',
      request: { ...body(S.depositRequestCreateSchema), headers: S.optionalIdempotencyHeaders },
      responses: { 201: json(S.depositRequestSchema, 'Pedido registrado (PENDING); o mesmo Idempotency-Key de novo devolve o mesmo pedido (Idempotent-Replayed: true)'), ...problems(401, 403, 404, 422) },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const { replayed, ...r } = await requestDeposit(ctx, operatorOf(c), {
        accountId: b.accountId,
        amount: Money.of(b.amount),
        description: b.description,
        reason: b.reason,
        idempotencyKey: c.req.valid('header')['idempotency-key'],
      });
      c.header('Location', `/v1/admin/deposit-requests/${r.id}`);
      if (replayed) c.header('Idempotent-Replayed', 'true');
      return c.json(r, 201);
    },
  );
  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/deposit-requests',
      tags,
      security,
      request: { query: S.depositRequestQuery },
      responses: { 200: json(S.depositRequestListSchema, 'Pedidos de depósito, os mais recentes primeiro (até 200)'), ...problems(401, 403, 422) },
    }),
    async (c) => {
      c.header('cache-control', 'no-store');
      return c.json(await listDepositRequests(ctx, c.req.valid('query')), 200);
    },
  );
  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/deposit-requests/{id}/approve',
      tags,
      security,
      description:
        'Aprova e lança o depósito (uma vez só). 403 SAME_OPERATOR se quem aprova é quem pediu; 409 DEPOSIT_REQUEST_EXPIRED; 409 DEPOSIT_REQUEST_DECIDED se já aprovado ou recusado.',
      request: { ...idParam, body: { content: { 'application/json': { schema: S.emptyBodySchema } }, required: false } },
      responses: { 200: json(S.depositApprovalSchema, 'Aprovado: o depósito foi lançado'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await approveDepositRequest(ctx, operatorOf(c), c.req.valid('param').id), 200),
  );
  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/deposit-requests/{id}/reject',
      tags,
      security,
      description: 'Recusa um pedido pendente, com o motivo (pode ser quem pediu, para retirá-lo). Nenhum dinheiro se move.',
      request: { ...idParam, ...body(S.reasonBodySchema) },
      responses: { 200: json(S.depositRequestSchema, 'Recusado'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await rejectDepositRequest(ctx, operatorOf(c), c.req.valid('param').id, c.req.valid('json').reason), 200),
  );

  // ── accounts ───────────────────────────────────────────────────────────────
  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/accounts',
      tags,
      security,
      description: 'A conta de um cliente (por customerId — o id KRT ou o do Keycloak — ou por accountId): situação, saldo e últimas transferências.',
      request: { query: S.adminAccountQuery },
      responses: { 200: json(S.adminAccountSchema, 'A conta'), ...problems(401, 403, 404, 422) },
    }),
    async (c) => {
      c.header('cache-control', 'no-store');
      return c.json(await getAdminAccount(ctx, operatorOf(c), c.req.valid('query')), 200);
    },
  );
  for (const action of ['block', 'unblock'] as const) {
    api.openapi(
      createRoute({
        method: 'post',
        path: `/v1/admin/accounts/{id}/${action}`,
        tags,
        security,
        description:
          action === 'block'
            ? 'Bloqueia a conta, com o motivo: ela não envia nem recebe Pix. 409 ACCOUNT_ALREADY_BLOCKED.'
            : 'Desbloqueia a conta, com o motivo. 409 ACCOUNT_NOT_BLOCKED.',
        request: { ...idParam, ...body(S.reasonBodySchema) },
        responses: { 200: json(S.adminAccountSchema, 'A conta depois da mudança'), ...problems(401, 403, 404, 409, 422) },
      }),
      async (c) => {
        const fn = action === 'block' ? blockAccount : unblockAccount;
        return c.json(await fn(ctx, operatorOf(c), c.req.valid('param').id, c.req.valid('json').reason), 200);
      },
    );
  }

  // ── audit ──────────────────────────────────────────────────────────────────
  registerAuditRoute(api, ctx.pool);
}
