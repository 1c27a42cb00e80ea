import { databaseUrl, keycloakConfigSchema, loadConfig, portSchema, STACK_DEFAULTS, withLoadProfile } from '@krt/platform/config';
import { DEV_TRANSACTION_PIN_KEY } from '@krt/platform/auth';
import { z } from 'zod';

/**
 * Development key for sealing registration passwords (see PasswordVault). Production must set
 * ONBOARDING_SECRET_KEY (32 random bytes, hex or base64); start-up refuses this default when NODE_ENV=production.
 */
export const DEV_SECRET_KEY = '6b72742d6f6e626f617264696e672d6465762d6b65792d6e6f742d7365637265';

export const onboardingConfigSchema = keycloakConfigSchema
  .extend({
    NODE_ENV: z.string().default('development'),
    PORT: portSchema.default(5001),
    HOST: z.string().default('127.0.0.1'),
    ONBOARDING_DATABASE_URL: z.string().default(databaseUrl('onboarding')),
    ONBOARDING_READ_DATABASE_URL: z.string().optional(),
    REDIS_URL: z.string().default(STACK_DEFAULTS.redisUrl),
    KAFKA_BROKERS: z.string().default(STACK_DEFAULTS.kafkaBrokers),
    KEYCLOAK_ONBOARDING_CLIENT_ID: z.string().default('krt-onboarding'),
    KEYCLOAK_ONBOARDING_CLIENT_SECRET: z.string().default('krt-onboarding-dev-secret'),
    KEYCLOAK_ADMIN_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
    ONBOARDING_SECRET_KEY: z.string().default(DEV_SECRET_KEY),
    /** The transaction PIN's HMAC key, shared with payments (see @krt/platform/transaction-pin); refused in production while the default. */
    TRANSACTION_PIN_KEY: z.string().default(DEV_TRANSACTION_PIN_KEY),
    /** Registrations allowed per client IP per window. */
    ONBOARDING_REGISTRATION_RATE_POINTS: z.coerce.number().int().positive().default(10),
    ONBOARDING_REGISTRATION_RATE_WINDOW_SECONDS: z.coerce.number().int().positive().default(600),
    /** "Is this CPF still free?" checks (the form's first step) allowed per client IP per window. */
    ONBOARDING_CPF_CHECK_RATE_POINTS: z.coerce.number().int().positive().default(30),
    ONBOARDING_CPF_CHECK_RATE_WINDOW_SECONDS: z.coerce.number().int().positive().default(600),
    /**
     * Trusted proxies, comma-separated addresses, besides loopback (always trusted: the BFF calls onboarding from there).
     * The client IP (rate limits) is the rightmost X-Forwarded-For address that is not a trusted proxy; with no trusted
     * proxy in front, the socket peer (libs/platform/src/http/client-ip.ts, docs/architecture.md).
     */
    ONBOARDING_TRUSTED_PROXIES: z.string().default(''),
    /** A new e-mail or phone needs a password typed at most this long ago (the access token's auth_time). */
    ONBOARDING_CONTACT_CHANGE_MAX_AUTH_AGE_SECONDS: z.coerce.number().int().min(1).default(300),
    ONBOARDING_PROVISIONING_POLL_MS: z.coerce.number().int().positive().default(1000),
    ONBOARDING_PROVISIONING_MAX_BACKOFF_MS: z.coerce.number().int().positive().default(30_000),
    ONBOARDING_WATCHLIST_PATH: z.string().optional(),
  })
  .refine((c) => c.NODE_ENV !== 'production' || c.ONBOARDING_SECRET_KEY !== DEV_SECRET_KEY, {
    message: 'ONBOARDING_SECRET_KEY must be set in production',
    path: ['ONBOARDING_SECRET_KEY'],
  })
  .refine((c) => c.NODE_ENV !== 'production' || c.TRANSACTION_PIN_KEY !== DEV_TRANSACTION_PIN_KEY, {
    message: 'TRANSACTION_PIN_KEY must be set in production',
    path: ['TRANSACTION_PIN_KEY'],
  });
export type OnboardingConfig = z.infer<typeof onboardingConfigSchema>;

/** `KRT_PROFILE=load` (k6 load runs from one address, k6/README.md): registrations and CPF checks are not limited per IP; production keeps 10 and 30 per 10 min. */
export const LOAD_PROFILE_LIMITS: Readonly<Record<string, string>> = Object.freeze({ ONBOARDING_REGISTRATION_RATE_POINTS: '1000000', ONBOARDING_CPF_CHECK_RATE_POINTS: '1000000' });

export const loadOnboardingConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(onboardingConfigSchema, withLoadProfile(env, LOAD_PROFILE_LIMITS));
