// GET /v1/admin/audit for any service's OpenAPIHono: the same query, answer and OpenAPI description everywhere
// (issue #19). The service mounts it under its own admin guard (`api.use('/v1/admin/*', requireRole('admin'))`).
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { auditEntrySchema, isSingleLineText, singleLineIssue, WIRE } from '@krt/contracts';
import type { Queryable } from '../persistence/db';
import { AUDIT_MAX_LIMIT, listAudit } from '../persistence/audit';
import type { AuthEnv } from '../auth/auth';
import { json, problems, security } from './openapi';

const isoInstant = z.iso.datetime({ offset: true, message: 'Use uma data e hora ISO 8601 (ex.: 2026-12-07T10:00:00Z).' });

/** A text filter: 1..max characters, no control characters (PostgreSQL refuses NUL in text: 422, not 500). */
const filterText = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine(isSingleLineText, singleLineIssue())
    .openapi(WIRE.singleLine(max, 1));

export const auditQuerySchema = z.object({
  actor: filterText(200).optional().openapi({ description: 'Operador: id (sub) ou nome de usuário' }),
  action: filterText(100).optional().openapi({ example: 'deposit.approved' }),
  subjectId: filterText(200).optional(),
  from: isoInstant.optional().openapi({ description: 'A partir de (inclusive), ISO 8601' }),
  to: isoInstant.optional().openapi({ description: 'Até (exclusive), ISO 8601' }),
  limit: z.coerce.number().int().min(1).max(AUDIT_MAX_LIMIT).optional(),
  before: z.string().regex(/^[1-9][0-9]{0,17}$/).optional().openapi({ description: 'Id de um item: os registros anteriores a ele (nextBefore da página anterior)' }),
});

/** One audit entry: the contract's shape (@krt/contracts), named in the service's document. */
export const auditItemSchema = z.object(auditEntrySchema.shape).openapi('AuditItem');

export const auditPageSchema = z.object({ items: z.array(auditItemSchema), nextBefore: z.string().nullable() }).openapi('AuditPage');

/** Registers `GET /v1/admin/audit` on `api`, reading the service's `audit_log` through `db`. */
export function registerAuditRoute(api: OpenAPIHono<AuthEnv>, db: Queryable): void {
  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/audit',
      tags: ['admin'],
      description: 'The operators’ actions in this service (append-only audit log), newest first.',
      security,
      request: { query: auditQuerySchema },
      responses: { 200: json(auditPageSchema, 'One page of the audit log'), ...problems(401, 403, 422) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await listAudit(db, { ...q, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined });
      c.header('cache-control', 'no-store');
      return c.json(page, 200);
    },
  );
}
