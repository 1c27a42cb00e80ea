// The operators' routes of the notifications API (realm role admin; issue #19): the dead letters of the Kafka `.dlt`
// topics and of the RabbitMQ DLQ, their replay, and this service's audit log.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { listDeadLetters, replayDeadLetter, type DeadLetterDeps } from '@krt/notifications';
import { json, jsonBody, operatorReasonText, problems, registerAuditRoute, security } from '@krt/platform/http';
import { requireRole, type AuthEnv } from '@krt/platform/auth';
import type { Producer } from 'kafkajs';
import type { Context } from 'hono';

const tags = ['admin'];

const deadLetterSchema = z
  .object({
    id: z.string().openapi({ description: 'Opaco: o que o reenvio recebe' }),
    source: z.enum(['kafka', 'rabbitmq']),
    topic: z.string().optional().openapi({ example: 'account.created.dlt' }),
    queue: z.string().optional().openapi({ example: 'notifications.dlq' }),
    partition: z.number().int().optional(),
    offset: z.string().optional(),
    key: z.string().nullable(),
    originalTopic: z.string().openapi({ description: 'Kafka: o tópico de origem; RabbitMQ: a exchange das notificações' }),
    channel: z.string().optional(),
    group: z.string().nullable().optional(),
    attempts: z.number().int().optional(),
    error: z.string(),
    failedAt: z.string().nullable(),
    payload: z.unknown(),
    replayedAt: z.string().optional(),
  })
  .openapi('DeadLetter');

const replayOutcomeSchema = z
  .object({
    replayed: z.boolean(),
    id: z.string(),
    source: z.enum(['kafka', 'rabbitmq']).optional(),
    originalTopic: z.string().optional(),
    key: z.string().nullable().optional(),
    replayedAt: z.string().optional(),
    alreadyReplayedAt: z.string().optional(),
  })
  .openapi('DeadLetterReplay');

const reasonSchema = operatorReasonText(3);

export interface AdminRoutesDeps extends DeadLetterDeps {
  producer: () => Promise<Producer>;
}

const operator = (c: Context<AuthEnv>) => ({ userId: c.var.principal.userId, username: c.var.principal.username, correlationId: c.var.correlationId });

/** Registers the admin routes on the notifications API (after its `requireAuth` on /v1/*). */
export function registerAdminRoutes(api: OpenAPIHono<AuthEnv>, deps: AdminRoutesDeps): void {
  api.use('/v1/admin/*', requireRole('admin'));

  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/dead-letters',
      tags,
      security,
      description: 'Mensagens mortas: os registros dos tópicos .dlt do Kafka e as mensagens da DLQ do RabbitMQ (sem consumi-las), mais recentes primeiro (auditado).',
      request: { query: z.object({ source: z.enum(['kafka', 'rabbitmq']).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }) },
      responses: { 200: json(z.object({ items: z.array(deadLetterSchema) }), 'Dead letters, newest first'), ...problems(401, 403, 422, 503) },
    }),
    async (c) => {
      c.header('cache-control', 'no-store');
      return c.json(await listDeadLetters(deps, operator(c), c.req.valid('query')), 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/dead-letters/{id}/replay',
      tags,
      security,
      description:
        'Reenvia uma mensagem morta para onde veio (Kafka: o tópico de origem, com chave, valor e cabeçalhos; RabbitMQ: a exchange das notificações). Idempotente: um segundo reenvio responde replayed=false (auditado).',
      request: {
        params: z.object({ id: z.string().min(1).max(1100) }),
        ...jsonBody(z.object({ reason: reasonSchema }).strict()),
      },
      responses: { 200: json(replayOutcomeSchema, 'Replayed, or already replayed before'), ...problems(401, 403, 404, 422, 503) },
    }),
    async (c) => {
      const outcome = await replayDeadLetter(deps, operator(c), c.req.valid('param').id, c.req.valid('json').reason);
      c.var.log.info({ deadLetter: outcome.id, replayed: outcome.replayed, operator: c.var.principal.userId }, 'dead letter replay');
      return c.json(outcome, 200);
    },
  );

  registerAuditRoute(api, deps.pool);
}
