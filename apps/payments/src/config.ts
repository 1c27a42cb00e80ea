import { databaseUrl, keycloakConfigSchema, loadConfig, portSchema, STACK_DEFAULTS } from '@krt/platform/config';
import { z } from 'zod';

export const paymentsConfigSchema = keycloakConfigSchema.extend({
  PORT: portSchema.default(5002),
  HOST: z.string().default('127.0.0.1'),
  PAYMENTS_DATABASE_URL: z.string().default(databaseUrl('payments')),
  PAYMENTS_READ_DATABASE_URL: z.string().optional(),
  REDIS_URL: z.string().default(STACK_DEFAULTS.redisUrl),
  KAFKA_BROKERS: z.string().default(STACK_DEFAULTS.kafkaBrokers),
});
export type PaymentsConfig = z.infer<typeof paymentsConfigSchema>;

export const loadPaymentsConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(paymentsConfigSchema, env);
