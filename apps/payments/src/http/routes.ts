// Payments HTTP routes (thin): validation by zod, the use case from @krt/payments, the response.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { Money } from '@krt/domain';
import {
  deletePixKey,
  getLimits,
  getMyAccount,
  getMyBalance,
  getPinStatus,
  changePin,
  setFirstPin,
  getStatement,
  getSummary,
  getTransfer,
  initiatePixTransfer,
  refundPixTransfer,
  listPixKeys,
  listTransfers,
  PaymentsErrors,
  receiptPdf,
  registerPixKey,
  resolvePixKey,
  statementCsv,
  updateLimits,
  verifyReceipt,
  type PaymentsContext,
  type StatementFilters,
} from '@krt/payments';
import { requireAuth, requireRole, type AuthEnv, type TokenVerifier } from '@krt/platform/auth';
import { AppError, Errors, zodToFieldErrors } from '@krt/platform/http';
import type { Context } from 'hono';
import { registerAdminRoutes } from './admin.routes';
import * as S from './schemas';

const json = <T extends z.ZodTypeAny>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const problems = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, { content: { 'application/problem+json': { schema: S.problemSchema } }, description: 'Problem' }]));
const security = [{ bearer: [] }];

function customerOf(c: Context<AuthEnv>): string {
  const id = c.var.principal.customerId;
  if (!id) throw PaymentsErrors.notACustomer();
  return id;
}

const filtersOf = (q: z.infer<typeof S.statementQuery>): StatementFilters => ({
  from: q.from,
  to: q.to,
  type: q.type,
  minAmount: q.minAmount ? Money.of(q.minAmount) : undefined,
  maxAmount: q.maxAmount ? Money.of(q.maxAmount) : undefined,
  q: q.q,
});

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{1,128}$/;

/** The Idempotency-Key a money-moving POST requires (400 IDEMPOTENCY_KEY_REQUIRED without a valid one). */
function idempotencyKeyOf(c: Context): string {
  const key = c.req.header('idempotency-key');
  if (!key || !IDEMPOTENCY_KEY.test(key)) throw PaymentsErrors.idempotencyKeyMissing();
  return key;
}

export function paymentsApi(ctx: PaymentsContext, verify: TokenVerifier) {
  const api = new OpenAPIHono<AuthEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const errors = zodToFieldErrors(result.error);
        // A missing or malformed transaction PIN is a bad request (400); the other fields' problems stay 422.
        if (errors.some((e) => e.field === 'pin')) throw new AppError(400, 'VALIDATION_FAILED', 'Alguns dados estão inválidos. Verifique os campos.', { errors });
        throw Errors.validation(errors);
      }
    },
  });
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  // Every /v1 route needs a token except the public receipt check (anyone holding a receipt may verify it).
  const auth = requireAuth(verify);
  const PUBLIC_PATHS = new Set(['/v1/receipts/verify']);
  api.use('/v1/*', (c, next) => (PUBLIC_PATHS.has(c.req.path) ? next() : auth(c, next)));
  api.use('/v1/admin/*', requireRole('admin'));

  // ── accounts ──────────────────────────────────────────────────────────────
  api.openapi(
    createRoute({ method: 'get', path: '/v1/accounts/me', tags: ['accounts'], security, responses: { 200: json(S.accountSchema, 'The caller’s account'), ...problems(401, 403, 404) } }),
    async (c) => c.json(await getMyAccount(ctx, customerOf(c)), 200),
  );
  api.openapi(
    createRoute({ method: 'get', path: '/v1/accounts/me/balance', tags: ['accounts'], security, responses: { 200: json(S.balanceSchema, 'Balance'), ...problems(401, 403, 404) } }),
    async (c) => c.json(await getMyBalance(ctx, customerOf(c)), 200),
  );
  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/accounts/me/statement',
      tags: ['accounts'],
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
      tags: ['accounts'],
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
    createRoute({ method: 'get', path: '/v1/accounts/me/summary', tags: ['accounts'], security, responses: { 200: json(S.summarySchema, 'Dashboard data'), ...problems(401, 403, 404) } }),
    async (c) => c.json(await getSummary(ctx, customerOf(c)), 200),
  );
  api.openapi(
    createRoute({ method: 'get', path: '/v1/accounts/me/limits', tags: ['limits'], security, responses: { 200: json(S.limitsSchema, 'PIX limits'), ...problems(401, 403, 404) } }),
    async (c) => c.json(await getLimits(ctx, customerOf(c)), 200),
  );
  api.openapi(
    createRoute({
      method: 'put',
      path: '/v1/accounts/me/limits',
      tags: ['limits'],
      security,
      request: { body: { content: { 'application/json': { schema: S.limitsUpdateSchema } }, required: true } },
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

  // ── PIX keys ──────────────────────────────────────────────────────────────
  api.openapi(
    createRoute({ method: 'get', path: '/v1/pix/keys', tags: ['pix-keys'], security, responses: { 200: json(S.pixKeyListSchema, 'The caller’s keys'), ...problems(401, 403, 404) } }),
    async (c) => c.json(await listPixKeys(ctx, customerOf(c)), 200),
  );
  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/pix/keys',
      tags: ['pix-keys'],
      security,
      request: { body: { content: { 'application/json': { schema: S.pixKeyCreateSchema } }, required: true } },
      responses: { 201: json(S.pixKeySchema, 'Key registered'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await registerPixKey(ctx, customerOf(c), c.req.valid('json')), 201),
  );
  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/pix/keys/resolve',
      tags: ['pix-keys'],
      security,
      request: { query: z.object({ key: S.pixKey }) },
      responses: { 200: json(S.resolvedKeySchema, 'Confirmation data'), ...problems(401, 404, 422) },
    }),
    async (c) => c.json(await resolvePixKey(ctx, c.req.valid('query').key), 200),
  );
  api.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/pix/keys/{id}',
      tags: ['pix-keys'],
      security,
      request: { params: z.object({ id: z.string().uuid() }) },
      responses: { 204: { description: 'Deleted' }, ...problems(401, 403, 404) },
    }),
    async (c) => {
      await deletePixKey(ctx, customerOf(c), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  // ── transaction PIN (issue #23) ───────────────────────────────────────────
  const pinBody = { body: { content: { 'application/json': { schema: S.pinBodySchema } }, required: true } };
  api.openapi(
    createRoute({ method: 'get', path: '/v1/pix/pin', tags: ['pix-pin'], security, responses: { 200: json(S.pinStatusSchema, 'Whether the caller has a transaction PIN, and its lock'), ...problems(401, 403) } }),
    async (c) => c.json(await getPinStatus(ctx, customerOf(c)), 200),
  );
  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/pix/pin',
      tags: ['pix-pin'],
      description: 'The caller’s first transaction PIN (customers from before the PIN). 409 PIN_ALREADY_SET when there is one; 422 PIN_WEAK.',
      security,
      request: pinBody,
      responses: { 204: { description: 'PIN set' }, ...problems(400, 401, 403, 409, 422) },
    }),
    async (c) => {
      await setFirstPin(ctx, customerOf(c), c.req.valid('json').pin);
      return c.body(null, 204);
    },
  );
  api.openapi(
    createRoute({
      method: 'put',
      path: '/v1/pix/pin',
      tags: ['pix-pin'],
      description:
        'A new transaction PIN (also clears the wrong attempts and any lock). Needs a token whose auth_time is recent (the BFF’s /auth/reauthenticate), else 403 REAUTHENTICATION_REQUIRED; 409 PIN_NOT_SET; 422 PIN_WEAK.',
      security,
      request: pinBody,
      responses: { 204: { description: 'PIN changed' }, ...problems(400, 401, 403, 409, 422) },
    }),
    async (c) => {
      await changePin(ctx, customerOf(c), c.req.valid('json').pin, c.var.principal.authTime);
      return c.body(null, 204);
    },
  );

  // ── PIX transfers ─────────────────────────────────────────────────────────
  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/pix/transfers',
      tags: ['pix-transfers'],
      security,
      request: {
        headers: z.object({ 'idempotency-key': z.string().optional().openapi({ description: 'Required; 1–128 of [A-Za-z0-9_-]' }) }),
        body: { content: { 'application/json': { schema: S.transferCreateSchema } }, required: true },
      },
      responses: { 202: json(S.transferAcceptedSchema, 'Accepted; the saga continues asynchronously'), ...problems(400, 401, 403, 404, 422, 423) },
    }),
    async (c) => {
      const idempotencyKey = idempotencyKeyOf(c);
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
      tags: ['pix-transfers'],
      security,
      request: { params: z.object({ id: z.string().uuid() }) },
      responses: { 200: json(S.transferDetailSchema, 'Transfer detail and receipt data'), ...problems(401, 403, 404, 422) },
    }),
    async (c) => c.json(await getTransfer(ctx, customerOf(c), c.req.valid('param').id), 200),
  );
  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/pix/transfers',
      tags: ['pix-transfers'],
      security,
      request: { query: S.pageQuery },
      responses: { 200: json(S.transferListSchema, 'The caller’s transfers (sent and received)'), ...problems(401, 403, 404, 422) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await listTransfers(ctx, customerOf(c), q.limit, q.cursor), 200);
    },
  );

  // ── PIX devolução (issue #18) ─────────────────────────────────────────────
  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/pix/transfers/{id}/refunds',
      tags: ['pix-transfers'],
      description: 'Returns all or part of a PIX the caller received (devolução, within 90 days; the returns never pass the original). Saga like a PIX.',
      security,
      request: {
        params: z.object({ id: z.string().uuid() }),
        headers: z.object({ 'idempotency-key': z.string().optional().openapi({ description: 'Required; 1–128 of [A-Za-z0-9_-]' }) }),
        body: { content: { 'application/json': { schema: S.refundCreateSchema } }, required: true },
      },
      responses: { 202: json(S.refundAcceptedSchema, 'Accepted; the return completes asynchronously'), ...problems(400, 401, 403, 404, 422, 423) },
    }),
    async (c) => {
      const idempotencyKey = idempotencyKeyOf(c);
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

  // ── receipts (issue #18) ──────────────────────────────────────────────────
  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/pix/transfers/{id}/receipt.pdf',
      tags: ['pix-transfers'],
      security,
      request: { params: z.object({ id: z.string().uuid() }) },
      responses: {
        200: { content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } }, description: 'The receipt (payer or receiver only), with its authentication code' },
        ...problems(401, 403, 404, 409, 422),
      },
    }),
    async (c) => {
      const { endToEndId, pdf } = await receiptPdf(ctx, customerOf(c), c.req.valid('param').id);
      return c.body(pdf.buffer.slice(pdf.byteOffset, pdf.byteOffset + pdf.byteLength) as ArrayBuffer, 200, {
        'content-type': 'application/pdf',
        'content-disposition': `attachment; filename="comprovante-pix-${endToEndId}.pdf"`,
        'cache-control': 'private, no-store',
      });
    },
  );
  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/receipts/verify',
      tags: ['receipts'],
      description: 'Public (no sign-in): whether the code is the genuine authentication code of the receipt of this EndToEndId. A wrong code answers { valid: false } and nothing else.',
      request: { query: S.receiptVerifyQuery },
      responses: { 200: json(S.receiptVerificationSchema, 'The verdict, with the non-sensitive fields when genuine'), ...problems(422) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const verdict = await verifyReceipt(ctx, { endToEndId: q.e2e, code: q.code, amountCentavos: q.amount ? Money.of(q.amount).toCentavos() : undefined });
      c.header('cache-control', 'no-store');
      return c.json(verdict, 200);
    },
  );

  // ── back office (issue #19): admin.routes.ts ──────────────────────────────
  registerAdminRoutes(api, ctx);

  return api;
}

export function openApiDocument(api: OpenAPIHono<AuthEnv>) {
  const doc = api.getOpenAPI31Document({
    openapi: '3.1.0',
    info: { title: 'KRT Bank — payments', version: '1.0.0', description: 'Ledger accounts, balance, statement, PIX keys, PIX transfers, limits.' },
    servers: [{ url: '/' }],
  });
  // The handler checks Idempotency-Key itself (400 IDEMPOTENCY_KEY_REQUIRED, a code clients rely on); the document says
  // what it requires.
  for (const path of ['/v1/pix/transfers', '/v1/pix/transfers/{id}/refunds']) {
    for (const p of (doc.paths?.[path]?.post?.parameters ?? []) as Array<{ name?: string; required?: boolean; schema?: unknown }>) {
      if (p.name === 'idempotency-key') Object.assign(p, { name: 'Idempotency-Key', required: true, schema: { type: 'string', pattern: IDEMPOTENCY_KEY.source } });
    }
  }
  return doc;
}
