// The back office (realm role admin): the KYC review queue and its decisions, the applicants' images, the customer
// lookup, and this service's audit log. Reads and decisions are audited by their use cases.
import { createRoute, z } from '@hono/zod-openapi';
import {
  APPLICATION_STATUSES,
  approveApplication,
  auditOperator,
  auditQueueListed,
  customerDocument,
  getApplication,
  listApplications,
  rejectApplication,
  searchCustomers,
} from '@krt/onboarding';
import { isSingleLineText, singleLineIssue, WIRE } from '@krt/contracts';
import { requireAuth, requireRole, type AuthEnv } from '@krt/platform/auth';
import { operatorReasonText, problemContent, registerAuditRoute } from '@krt/platform/http';
import type { Context } from 'hono';
import { KYC_QUEUE, image, imageResponse, type OnboardingApi, type OnboardingRoutesDeps } from './openapi-kit';
import { applicationDetailSchema, applicationSchema, CPF_QUERY, customerSearchItemSchema, idParam, kindParam } from './schemas';

const reviewer = (c: Context<AuthEnv>) => ({ userId: c.var.principal.userId, username: c.var.principal.username, correlationId: c.var.correlationId });

export function registerBackOfficeRoutes(api: OnboardingApi, deps: OnboardingRoutesDeps): void {
  api.use('/v1/admin/*', requireAuth(deps.verify), requireRole('admin'));
  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/kyc/applications',
      summary: 'Applications by status (admin)',
      request: { query: z.object({ status: z.enum(APPLICATION_STATUSES).default('PENDING_REVIEW'), limit: z.coerce.number().int().min(1).max(100).default(20), cursor: z.string().max(200).optional() }) },
      responses: {
        200: { description: 'A page of applications', content: { 'application/json': { schema: z.object({ items: z.array(z.any()), nextCursor: z.string().nullable() }) } } },
        403: { description: 'Not an admin', ...problemContent },
        422: { description: 'Invalid status, limit or cursor', ...problemContent },
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await listApplications((await deps.reads?.poolFor(KYC_QUEUE)) ?? deps.pool, q);
      await auditQueueListed(deps.pool, reviewer(c), q, page.items.map((i) => i.applicationId));
      return c.json(page, 200);
    },
  );
  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/kyc/applications/{id}',
      summary: 'One application: the applicant (e-mail and phone masked), the automatic checks and reasons, the decisions, which images exist (admin; audited)',
      request: { params: idParam },
      responses: {
        200: { description: 'The application', content: { 'application/json': { schema: applicationDetailSchema } } },
        403: { description: 'Not an admin', ...problemContent },
        404: { description: 'No such application', ...problemContent },
        422: { description: 'Malformed id', ...problemContent },
      },
    }),
    async (c) => {
      c.header('cache-control', 'no-store');
      return c.json(await getApplication(deps.pool, reviewer(c), c.req.valid('param').id), 200);
    },
  );
  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/customers',
      summary: 'Look customers up by CPF (exact; digits or masked) or by name (prefix, ignoring case and accents) (admin; audited)',
      request: {
        query: z.object({
          cpf: z
            .string()
            .refine((v) => CPF_QUERY.test(v), { message: 'Informe os 11 dígitos do CPF, com ou sem pontuação.', params: { code: 'CPF_INVALID' } })
            .optional()
            .openapi({ type: 'string', pattern: CPF_QUERY.source, example: '529.982.247-25', description: 'Exato; com ou sem pontuação' }),
          name: z
            .string()
            .min(1)
            .max(120)
            // A NUL or another control character is no name, and PostgreSQL refuses NUL in text: 422, not 500.
            .refine(isSingleLineText, singleLineIssue())
            .optional()
            .openapi({ ...WIRE.singleLine(120, 1), example: 'Mar', description: 'Início do nome ou de um sobrenome, sem diferenciar maiúsculas e acentos' }),
          limit: z.coerce.number().int().min(1).max(50).default(20),
        }),
      },
      responses: {
        200: {
          description: 'Matching customers, newest first (both filters: both must match; neither: no customer)',
          content: { 'application/json': { schema: z.object({ items: z.array(customerSearchItemSchema) }) } },
        },
        403: { description: 'Not an admin', ...problemContent },
        422: { description: 'Malformed CPF or limit', ...problemContent },
      },
    }),
    async (c) => {
      const { cpf, name, limit } = c.req.valid('query');
      c.header('cache-control', 'no-store');
      return c.json(await searchCustomers(deps.pool, reviewer(c), { cpf, name }, limit), 200);
    },
  );
  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/kyc/applications/{id}/approve',
      summary: 'Approve an application under review, then provision it (admin)',
      // Optional body: without a JSON one the route's validator reads `{}`.
      request: { params: idParam, body: { content: { 'application/json': { schema: z.object({ reason: operatorReasonText(0).optional() }).strict() } }, required: false } },
      responses: {
        200: { description: 'ACTIVE, or APPROVED while provisioning waits for Keycloak', content: { 'application/json': { schema: applicationSchema } } },
        403: { description: 'Not an admin', ...problemContent },
        404: { description: 'No such application', ...problemContent },
        409: { description: 'Not under review', ...problemContent },
        422: { description: 'Malformed id or reason', ...problemContent },
      },
    }),
    async (c) => {
      const result = await approveApplication(deps.pool, deps.provisioner, c.req.valid('param').id, reviewer(c), c.req.valid('json').reason || null);
      await deps.reads?.recordCommitted([KYC_QUEUE]);
      c.var.log.info({ applicationId: result.applicationId, status: result.status, reviewer: c.var.principal.userId }, 'application approved');
      return c.json(result, 200);
    },
  );
  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/kyc/applications/{id}/reject',
      summary: 'Reject an application under review, with a reason (admin)',
      request: { params: idParam, body: { content: { 'application/json': { schema: z.object({ reason: operatorReasonText(3) }).strict() } }, required: true } },
      responses: {
        200: { description: 'REJECTED', content: { 'application/json': { schema: applicationSchema } } },
        403: { description: 'Not an admin', ...problemContent },
        404: { description: 'No such application', ...problemContent },
        409: { description: 'Not under review', ...problemContent },
        422: { description: 'Reason missing or malformed id', ...problemContent },
      },
    }),
    async (c) => {
      const result = await rejectApplication(deps.pool, c.req.valid('param').id, reviewer(c), c.req.valid('json').reason);
      await deps.reads?.recordCommitted([KYC_QUEUE]);
      c.var.log.info({ applicationId: result.applicationId, reviewer: c.var.principal.userId }, 'application rejected');
      return c.json(result, 200);
    },
  );
  api.openapi(
    createRoute({ method: 'get', path: '/v1/admin/kyc/applications/{id}/documents/{kind}', summary: 'KYC image of an application (admin)', request: { params: idParam.merge(kindParam) }, responses: { 200: { description: 'The image', ...image }, 404: { description: 'None', ...problemContent } } }),
    async (c) => {
      const { id, kind } = c.req.valid('param');
      const doc = await customerDocument(deps.pool, id, kind);
      await auditOperator(deps.pool, reviewer(c), { action: 'kyc.document.viewed', subjectType: 'kyc_application', subjectId: id, details: { kind } });
      return imageResponse(c, doc);
    },
  );
  registerAuditRoute(api, deps.pool);
}
