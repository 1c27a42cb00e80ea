import { databaseUrl, keycloakConfigSchema, loadConfig, portSchema, STACK_DEFAULTS } from '@krt/platform/config';
import { z } from 'zod';

export const onboardingConfigSchema = keycloakConfigSchema.extend({
  PORT: portSchema.default(5001),
  HOST: z.string().default('127.0.0.1'),
  ONBOARDING_DATABASE_URL: z.string().default(databaseUrl('onboarding')),
  ONBOARDING_READ_DATABASE_URL: z.string().optional(),
  REDIS_URL: z.string().default(STACK_DEFAULTS.redisUrl),
  KAFKA_BROKERS: z.string().default(STACK_DEFAULTS.kafkaBrokers),
  KEYCLOAK_ONBOARDING_CLIENT_ID: z.string().default('krt-onboarding'),
  KEYCLOAK_ONBOARDING_CLIENT_SECRET: z.string().default('krt-onboarding-dev-secret'),
});
export type OnboardingConfig = z.infer<typeof onboardingConfigSchema>;

export const loadOnboardingConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(onboardingConfigSchema, env);
