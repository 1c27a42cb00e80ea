// Notification center routes (thin): the signed-in customer's own notifications, validated by zod.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { notificationKindSchema } from '@krt/contracts';
import {
  decodeCursor,
  getPreferences,
  listNotifications,
  markAllRead,
  markRead,
  setPreferences,
  unreadCount,
} from '@krt/notifications';
import { requireAuth, type AuthEnv, type TokenVerifier } from '@krt/platform/auth';
import { AppError, Errors, json, jsonBody, problems, security, zodToFieldErrors } from '@krt/platform/http';
import type { Pool } from '@krt/platform/persistence';
import type { Context } from 'hono';
import { registerAdminRoutes, type AdminRoutesDeps } from './admin.routes';

const NotificationsErrors = {
  notACustomer: () => new AppError(403, 'NOT_A_CUSTOMER', 'Esta operação é apenas para clientes.'),
  notFound: () => new AppError(404, 'NOTIFICATION_NOT_FOUND', 'Notificação não encontrada.'),
  customerUnknown: () => new AppError(404, 'CUSTOMER_NOT_FOUND', 'Ainda não temos seus dados de contato. Tente novamente em instantes.'),
};

const notificationSchema = z
  .object({
    id: z.string().uuid(),
    title: z.string().openapi({ example: 'Pix recebido' }),
    body: z.string().openapi({ example: 'Você recebeu um Pix de R$ 150,00 de Maria S..' }),
    kind: z.enum(notificationKindSchema.options),
    createdAt: z.string().datetime(),
    readAt: z.string().datetime().optional(),
    transferId: z.string().uuid().optional().openapi({ description: 'O Pix de que a notificação trata (Pix enviado, recebido ou não concluído, e devoluções): abre a página da transferência.' }),
  })
  .openapi('Notification');

/** A page: `limit`, and `cursor` decoded (an empty one is none; 422 INVALID_CURSOR when it is not one this API gave out). */
const listQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(512).optional(),
  })
  .transform((q, ctx) => {
    const cursor = q.cursor ? decodeCursor(q.cursor) : undefined;
    if (q.cursor && !cursor) {
      ctx.addIssue({ code: 'custom', path: ['cursor'], message: 'Cursor de paginação inválido.', params: { code: 'INVALID_CURSOR' } });
      return z.NEVER;
    }
    return { limit: q.limit, cursor };
  });
const idParam = z.object({ id: z.string().uuid() });
const preferencesSchema = z
  .object({ email: z.boolean(), sms: z.boolean(), inApp: z.literal(true).optional().openapi({ description: 'Sempre ativo: a central de notificações.' }) })
  .openapi('NotificationPreferences');
const preferencesBody = z.object({ email: z.boolean(), sms: z.boolean() }).strict();

const tags = ['notifications'];

function customerOf(c: Context<AuthEnv>): string {
  const id = c.var.principal.customerId;
  if (!id) throw NotificationsErrors.notACustomer();
  return id;
}

export function notificationCenterApi(pool: Pool, verify: TokenVerifier, admin?: AdminRoutesDeps) {
  const api = new OpenAPIHono<AuthEnv>({
    defaultHook: (result) => {
      if (!result.success) throw Errors.validation(zodToFieldErrors(result.error));
    },
  });
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  api.use('/v1/*', requireAuth(verify));
  if (admin) registerAdminRoutes(api, admin);

  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/notifications',
      tags,
      security,
      request: { query: listQuery },
      responses: { 200: json(z.object({ items: z.array(notificationSchema), nextCursor: z.string().nullable() }), 'Unread first, newest first'), ...problems(401, 403, 422) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await listNotifications(pool, customerOf(c), q.limit, q.cursor);
      return c.json(page as { items: z.infer<typeof notificationSchema>[]; nextCursor: string | null }, 200);
    },
  );

  api.openapi(
    createRoute({ method: 'get', path: '/v1/notifications/unread-count', tags, security, responses: { 200: json(z.object({ count: z.number().int() }), 'Unread notifications'), ...problems(401, 403) } }),
    async (c) => c.json({ count: await unreadCount(pool, customerOf(c)) }, 200),
  );

  api.openapi(
    createRoute({ method: 'post', path: '/v1/notifications/read-all', tags, security, responses: { 204: { description: 'All marked as read' }, ...problems(401, 403) } }),
    async (c) => {
      await markAllRead(pool, customerOf(c));
      return c.body(null, 204);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/notifications/{id}/read',
      tags,
      security,
      request: { params: idParam },
      responses: { 204: { description: 'Marked as read' }, ...problems(401, 403, 404, 422) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      if (!(await markRead(pool, customerOf(c), id))) throw NotificationsErrors.notFound();
      return c.body(null, 204);
    },
  );

  api.openapi(
    createRoute({ method: 'get', path: '/v1/notifications/preferences', tags, security, responses: { 200: json(preferencesSchema, 'Channel preferences'), ...problems(401, 403, 404) } }),
    async (c) => {
      const prefs = await getPreferences(pool, customerOf(c));
      if (!prefs) throw NotificationsErrors.customerUnknown();
      return c.json({ ...prefs, inApp: true as const }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'put',
      path: '/v1/notifications/preferences',
      tags,
      security,
      request: jsonBody(preferencesBody),
      responses: { 200: json(preferencesSchema, 'Channel preferences'), ...problems(401, 403, 404, 422) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      if (!(await setPreferences(pool, customerOf(c), body))) throw NotificationsErrors.customerUnknown();
      return c.json({ ...body, inApp: true as const }, 200);
    },
  );

  return api;
}

export function openApiDocument(api: OpenAPIHono<AuthEnv>) {
  return api.getOpenAPI31Document({
    openapi: '3.1.0',
    info: { title: 'KRT Bank — notifications', version: '1.0.0', description: 'Notification center of the signed-in customer: list, unread count, mark as read, channel preferences. Operators (realm role admin): dead letters (Kafka .dlt topics and the RabbitMQ DLQ) and their replay, the audit log.' },
    servers: [{ url: '/' }],
  });
}
