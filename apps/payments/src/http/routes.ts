// The payments HTTP API, composed: one file per sub-domain registers its routes (thin: the route's schema validates,
// the handler reads `c.req.valid(...)`, calls the use case from @krt/payments and answers). Here: the validation hook,
// the token guard, the order of the routes (the OpenAPI document's order) and the document.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { PaymentsContext } from '@krt/payments';
import { requireAuth, requireRole, type AuthEnv, type TokenVerifier } from '@krt/platform/auth';
import { AppError, Errors, zodToFieldErrors } from '@krt/platform/http';
import { registerAccountRoutes } from './accounts.routes';
import { registerAdminRoutes } from './admin.routes';
import { registerPixKeyRoutes } from './keys.routes';
import { registerLimitRoutes } from './limits.routes';
import type { PaymentsApi } from './openapi-kit';
import { registerPinRoutes } from './pin.routes';
import { PUBLIC_RECEIPT_PATHS, registerReceiptRoutes } from './receipts.routes';
import { IDEMPOTENCY_KEY } from './schemas';
import { registerTransferRoutes } from './transfers.routes';

export function paymentsApi(ctx: PaymentsContext, verify: TokenVerifier): PaymentsApi {
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
  const publicPaths = new Set(PUBLIC_RECEIPT_PATHS);
  api.use('/v1/*', (c, next) => (publicPaths.has(c.req.path) ? next() : auth(c, next)));
  api.use('/v1/admin/*', requireRole('admin'));

  registerAccountRoutes(api, ctx); // /v1/accounts/me, balance, statement, statement.csv, summary
  registerLimitRoutes(api, ctx); // /v1/accounts/me/limits
  registerPixKeyRoutes(api, ctx); // /v1/pix/keys
  registerPinRoutes(api, ctx); // /v1/pix/pin (issue #23)
  registerTransferRoutes(api, ctx); // /v1/pix/transfers, devoluções (issue #18)
  registerReceiptRoutes(api, ctx); // receipt.pdf, /v1/receipts/verify (issue #18)
  registerAdminRoutes(api, ctx); // /v1/admin: back office (issue #19)
  return api;
}

export function openApiDocument(api: PaymentsApi) {
  const doc = api.getOpenAPI31Document({
    openapi: '3.1.0',
    info: { title: 'KRT Bank — payments', version: '1.0.0', description: 'Ledger accounts, balance, statement, PIX keys, PIX transfers, limits.' },
    servers: [{ url: '/' }],
  });
  // The schema reads Idempotency-Key as optional so that the handler can answer 400 IDEMPOTENCY_KEY_REQUIRED (a code
  // clients rely on) after the body's own validation; the document says what it requires.
  for (const path of ['/v1/pix/transfers', '/v1/pix/transfers/{id}/refunds']) {
    for (const p of (doc.paths?.[path]?.post?.parameters ?? []) as Array<{ name?: string; required?: boolean; schema?: unknown }>) {
      if (p.name === 'idempotency-key') Object.assign(p, { name: 'Idempotency-Key', required: true, schema: { type: 'string', pattern: IDEMPOTENCY_KEY.source } });
    }
  }
  return doc;
}
