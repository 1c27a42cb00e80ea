import { keycloakConfigSchema, loadConfig, portSchema, STACK_DEFAULTS, withLoadProfile } from '@krt/platform/config';
import { z } from 'zod';

const int = (d: number) => z.coerce.number().int().min(0).default(d);
const bool = (d: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(d ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

export const bffConfigSchema = keycloakConfigSchema.extend({
  NODE_ENV: z.string().default('development'),
  PORT: portSchema.default(5000),
  HOST: z.string().default('127.0.0.1'),
  REDIS_URL: z.string().default(STACK_DEFAULTS.redisUrl),
  AMQP_URL: z.string().default(STACK_DEFAULTS.amqpUrl),
  KAFKA_BROKERS: z.string().default(STACK_DEFAULTS.kafkaBrokers),
  /** Comma-separated replica URLs of each upstream API. */
  PAYMENTS_URLS: z.string().default('http://127.0.0.1:5002'),
  ONBOARDING_URLS: z.string().default('http://127.0.0.1:5001'),
  NOTIFICATIONS_URLS: z.string().default('http://127.0.0.1:5003'),
  BFF_CLIENT_ID: z.string().default('krt-bff'),
  BFF_CLIENT_SECRET: z.string().default('krt-bff-dev-secret'),
  /** The origin the browser uses. https → `__Host-krt-session; Secure` cookie; http (local development) → `krt-session`. */
  PUBLIC_URL: z.string().url().default('http://localhost:5000'),
  /** Forces the Secure/__Host- cookie on or off regardless of PUBLIC_URL. */
  SESSION_COOKIE_SECURE: z.enum(['true', 'false']).optional(),
  /** Seals session records (tokens) in Redis with AES-256-GCM. Set a real secret outside development. */
  BFF_SESSION_KEY: z.string().min(16).default('krt-bff-dev-session-key-change-me'),
  /**
   * The first-party password endpoint `POST /auth/session` (the OAuth password grant), kept for automation only: load
   * tests, the bench, the demo. Browsers sign in through Keycloak's page (authorization code + PKCE). Unset: 'off' when
   * NODE_ENV=production, 'on' otherwise (passwordSignInEnabled).
   */
  BFF_PASSWORD_SIGNIN: z.enum(['on', 'off']).optional(),
  SESSION_IDLE_SECONDS: int(1800),
  SESSION_ABSOLUTE_SECONDS: int(36_000),
  REFRESH_SKEW_SECONDS: int(30),
  /** Prefix of every Redis key the BFF writes (tests isolate themselves with their own). */
  REDIS_KEY_PREFIX: z.string().default('bff:'),
  UPSTREAM_TIMEOUT_MS: int(5000),
  BREAKER_THRESHOLD: int(5),
  BREAKER_HALF_OPEN_MS: int(5000),
  HEALTH_INTERVAL_MS: int(1000),
  DASHBOARD_PART_TIMEOUT_MS: int(2500),
  /**
   * How long the balance, statement and dashboard answers may be served from memory at most (0: off). Within it an
   * answer is still dropped at once by the customer's own writes through any BFF and by every change to their account's
   * balance version in payments (libs/bff/src/gateway/read-cache.ts).
   */
  READ_CACHE_TTL_MS: int(2000),
  RATE_LIMIT_WINDOW_SECONDS: int(60),
  RATE_LIMIT_API_PER_SESSION: int(600),
  RATE_LIMIT_API_PER_IP: int(3000),
  RATE_LIMIT_SIGNIN_WINDOW_SECONDS: int(60),
  RATE_LIMIT_SIGNIN_PER_IP_CPF: int(5),
  RATE_LIMIT_SIGNIN_PER_IP: int(20),
  RATE_LIMIT_AUTH_PER_IP: int(60),
  RATE_LIMIT_REGISTRATION_PER_IP: int(30),
  /**
   * Proxy trust (the client IP rule, libs/platform/src/http/client-ip.ts, docs/architecture.md): TRUST_PROXY says a reverse
   * proxy always sits in front of the BFF (its socket peer is trusted, whatever its address); TRUSTED_PROXIES lists the
   * addresses of further proxies (comma-separated) that may also be skipped. The client is the rightmost
   * X-Forwarded-For address that is not a trusted proxy; off (default): the socket address is the client.
   */
  TRUST_PROXY: bool(false),
  TRUSTED_PROXIES: z.string().default(''),
  BODY_LIMIT_BYTES: int(64 * 1024),
  REGISTRATION_BODY_LIMIT_BYTES: int(12 * 1024 * 1024),
  LIVE_EVENTS: bool(true),
  SSE_HEARTBEAT_MS: int(15_000),
  /** Where the Angular SSR build lives (served when it exists). */
  WEB_DIST_DIR: z.string().default('dist/apps/web'),
});
export type BffConfig = z.infer<typeof bffConfigSchema>;

/** Whether `POST /auth/session` answers (BFF_PASSWORD_SIGNIN; off in production unless set to 'on'). */
export const passwordSignInEnabled = (cfg: Pick<BffConfig, 'BFF_PASSWORD_SIGNIN' | 'NODE_ENV'>) =>
  (cfg.BFF_PASSWORD_SIGNIN ?? (cfg.NODE_ENV === 'production' ? 'off' : 'on')) === 'on';

/**
 * `KRT_PROFILE=load` (k6 load runs from one machine, see k6/README.md): rate limits sized so that the seed's traffic mix
 * from one address and a few shared sessions can run. Only the defaults change (a variable set explicitly still wins);
 * without the profile the production defaults above stay, and a production process refuses the profile.
 */
export const LOAD_PROFILE_LIMITS: Readonly<Record<string, string>> = Object.freeze({
  RATE_LIMIT_API_PER_SESSION: '1000000',
  RATE_LIMIT_API_PER_IP: '10000000',
  RATE_LIMIT_SIGNIN_PER_IP_CPF: '1000',
  RATE_LIMIT_SIGNIN_PER_IP: '100000',
  RATE_LIMIT_AUTH_PER_IP: '100000',
  RATE_LIMIT_REGISTRATION_PER_IP: '1000000',
});

export const loadBffConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(bffConfigSchema, withLoadProfile(env, LOAD_PROFILE_LIMITS));
