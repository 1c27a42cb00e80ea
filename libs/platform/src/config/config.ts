// Configuration parsed from the environment with zod, with the local stack's ports as defaults.
import { z } from 'zod';

/** Defaults that point at the local stack (scripts/stack.mjs) and docker-compose.yml. */
export const STACK_DEFAULTS = {
  pgHost: '127.0.0.1',
  pgPort: 5433,
  redisUrl: 'redis://127.0.0.1:6380',
  kafkaBrokers: '127.0.0.1:9092',
  amqpUrl: 'amqp://krt:krt@127.0.0.1:5672',
  keycloakUrl: 'http://127.0.0.1:8080',
  keycloakPublicUrl: 'http://localhost:8080',
  realm: 'krt-bank',
  apiAudience: 'krt-api',
} as const;

export const databaseUrl = (db: string) => `postgres://krt:krt@${STACK_DEFAULTS.pgHost}:${STACK_DEFAULTS.pgPort}/${db}`;

/** Parses `process.env` (or the given source) with a zod object schema; throws one readable error listing every problem. */
export function loadConfig<S extends z.ZodTypeAny>(schema: S, source: Record<string, string | undefined> = process.env): z.infer<S> {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  return parsed.data;
}

/** Keycloak settings every service that verifies tokens needs. */
export const keycloakConfigSchema = z.object({
  KEYCLOAK_URL: z.string().url().default(STACK_DEFAULTS.keycloakUrl),
  KEYCLOAK_PUBLIC_URL: z.string().url().default(STACK_DEFAULTS.keycloakPublicUrl),
  KEYCLOAK_REALM: z.string().default(STACK_DEFAULTS.realm),
  API_AUDIENCE: z.string().default(STACK_DEFAULTS.apiAudience),
});

export type KeycloakConfig = z.infer<typeof keycloakConfigSchema>;

export function realmUrls(cfg: KeycloakConfig) {
  const internal = `${cfg.KEYCLOAK_URL}/realms/${cfg.KEYCLOAK_REALM}`;
  return {
    /** The issuer printed in tokens (the public host name Keycloak is configured with). */
    issuer: `${cfg.KEYCLOAK_PUBLIC_URL}/realms/${cfg.KEYCLOAK_REALM}`,
    /** Where this process reaches Keycloak (back channel). */
    internal,
    discovery: `${internal}/.well-known/openid-configuration`,
    jwks: `${internal}/protocol/openid-connect/certs`,
    token: `${internal}/protocol/openid-connect/token`,
    revoke: `${internal}/protocol/openid-connect/revoke`,
    logout: `${internal}/protocol/openid-connect/logout`,
    admin: `${cfg.KEYCLOAK_URL}/admin/realms/${cfg.KEYCLOAK_REALM}`,
  };
}

export const portSchema = z.coerce.number().int().min(0).max(65535);

/**
 * `KRT_PROFILE=load`: the defaults a service takes for load tests (k6/README.md) fill the variables that are not set;
 * a variable set explicitly still wins. Unset → `env` unchanged (production defaults). Refused in production.
 */
export function withLoadProfile(env: Record<string, string | undefined>, loadDefaults: Readonly<Record<string, string>>): Record<string, string | undefined> {
  const profile = env.KRT_PROFILE;
  if (profile === undefined || profile === '') return env;
  if (profile !== 'load') throw new Error(`invalid configuration: KRT_PROFILE must be "load" or unset, got "${profile}"`);
  if (env.NODE_ENV === 'production') throw new Error('invalid configuration: KRT_PROFILE=load is for load tests, never for production');
  const out = { ...env };
  for (const [key, value] of Object.entries(loadDefaults)) out[key] ??= value;
  return out;
}
