import { databaseUrl, keycloakConfigSchema, loadConfig, portSchema, STACK_DEFAULTS } from '@krt/platform/config';
import { z } from 'zod';

export const paymentsConfigSchema = keycloakConfigSchema.extend({
  PORT: portSchema.default(5002),
  HOST: z.string().default('127.0.0.1'),
  PAYMENTS_DATABASE_URL: z.string().default(databaseUrl('payments')),
  /** CQRS read side (a replica in production); defaults to the primary. */
  PAYMENTS_READ_DATABASE_URL: z.string().optional(),
  PAYMENTS_DB_POOL_MAX: z.coerce.number().int().min(1).default(20),
  REDIS_URL: z.string().default(STACK_DEFAULTS.redisUrl),
  KAFKA_BROKERS: z.string().default(STACK_DEFAULTS.kafkaBrokers),
  /** A PIX still PENDING this long after initiation is failed and compensated by the sweeper. */
  PIX_PENDING_DEADLINE_MS: z.coerce.number().int().min(1000).default(60_000),
  PIX_SWEEPER_INTERVAL_MS: z.coerce.number().int().min(100).default(5000),
  /** Port for /health of a consumer process (0 = none). */
  WORKER_HEALTH_PORT: portSchema.default(0),
});
export type PaymentsConfig = z.infer<typeof paymentsConfigSchema>;

export const loadPaymentsConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(paymentsConfigSchema, env);
