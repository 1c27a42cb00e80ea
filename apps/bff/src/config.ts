import { keycloakConfigSchema, loadConfig, portSchema, STACK_DEFAULTS } from '@krt/platform/config';
import { z } from 'zod';

export const bffConfigSchema = keycloakConfigSchema.extend({
  PORT: portSchema.default(5000),
  HOST: z.string().default('127.0.0.1'),
  REDIS_URL: z.string().default(STACK_DEFAULTS.redisUrl),
  AMQP_URL: z.string().default(STACK_DEFAULTS.amqpUrl),
  /** Comma-separated replica URLs of each upstream API. */
  PAYMENTS_URLS: z.string().default('http://127.0.0.1:5002'),
  ONBOARDING_URLS: z.string().default('http://127.0.0.1:5001'),
  BFF_CLIENT_ID: z.string().default('krt-bff'),
  BFF_CLIENT_SECRET: z.string().default('krt-bff-dev-secret'),
  PUBLIC_URL: z.string().url().default('http://localhost:5000'),
});
export type BffConfig = z.infer<typeof bffConfigSchema>;

export const loadBffConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(bffConfigSchema, env);
