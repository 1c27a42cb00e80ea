// Builds the onboarding process from its configuration: pools, clients, the provisioning worker, the app.
// main.ts runs it; integration tests run it in-process on a random port. The outbox relay runs in its own process
// (workers/relay.main.ts, onboarding-relay; `buildOnboardingRelay` below).
import { KeycloakAdminClient, PasswordVault, Provisioner, loadWatchlist } from '@krt/onboarding';
import { createTokenVerifier, keycloakReadiness, parseTransactionPinKey } from '@krt/platform/auth';
import { createPool, postgresReadiness, ReadYourWrites, createRedis, redisReadiness } from '@krt/platform/persistence';
import { createKafka, kafkaReadiness, OutboxRelay } from '@krt/platform/messaging';
import { observePool, type Logger } from '@krt/platform/telemetry';
import { parseProxyList } from '@krt/platform/http';
import { createOnboardingApp } from './app';
import type { OnboardingConfig } from './config';
import { repoPath } from '@krt/platform/config';

export const MIGRATIONS_DIR = repoPath('apps/onboarding/migrations');

export interface OnboardingOverrides {
  rateLimitKeyPrefix?: string;
  provisioningBaseBackoffMs?: number;
  keycloakHalfOpenAfterMs?: number;
  /** Tests drive the worker themselves when false. */
  runWorker?: boolean;
}

export function buildOnboarding(cfg: OnboardingConfig, logger: Logger, overrides: OnboardingOverrides = {}) {
  const pool = createPool(cfg.ONBOARDING_DATABASE_URL, { applicationName: 'onboarding' });
  const readPool = cfg.ONBOARDING_READ_DATABASE_URL ? createPool(cfg.ONBOARDING_READ_DATABASE_URL, { applicationName: 'onboarding-read' }) : pool;
  // db_pool_connections of the API's pool (the relay process reports its own).
  observePool(pool);
  const redis = createRedis(cfg.REDIS_URL, 'onboarding');
  const reads = new ReadYourWrites({ primary: pool, replica: readPool, redis, logger, scope: 'onboarding' });
  const keycloak = new KeycloakAdminClient({
    keycloak: cfg,
    clientId: cfg.KEYCLOAK_ONBOARDING_CLIENT_ID,
    clientSecret: cfg.KEYCLOAK_ONBOARDING_CLIENT_SECRET,
    logger,
    timeoutMs: cfg.KEYCLOAK_ADMIN_TIMEOUT_MS,
    halfOpenAfterMs: overrides.keycloakHalfOpenAfterMs,
  });
  const vault = new PasswordVault(cfg.ONBOARDING_SECRET_KEY);
  const provisioner = new Provisioner({
    pool,
    keycloak,
    vault,
    logger,
    pollIntervalMs: cfg.ONBOARDING_PROVISIONING_POLL_MS,
    maxBackoffMs: cfg.ONBOARDING_PROVISIONING_MAX_BACKOFF_MS,
    baseBackoffMs: overrides.provisioningBaseBackoffMs,
  });
  const app = createOnboardingApp({
    logger,
    pool,
    reads,
    redis,
    verify: createTokenVerifier(cfg),
    keycloak,
    vault,
    pinKey: parseTransactionPinKey(cfg.TRANSACTION_PIN_KEY),
    watchlist: loadWatchlist(cfg.ONBOARDING_WATCHLIST_PATH),
    provisioner,
    rateLimit: { points: cfg.ONBOARDING_REGISTRATION_RATE_POINTS, windowSeconds: cfg.ONBOARDING_REGISTRATION_RATE_WINDOW_SECONDS, keyPrefix: overrides.rateLimitKeyPrefix },
    cpfCheckRateLimit: { points: cfg.ONBOARDING_CPF_CHECK_RATE_POINTS, windowSeconds: cfg.ONBOARDING_CPF_CHECK_RATE_WINDOW_SECONDS },
    contactChangeMaxAuthAgeSeconds: cfg.ONBOARDING_CONTACT_CHANGE_MAX_AUTH_AGE_SECONDS,
    trustedProxies: parseProxyList(cfg.ONBOARDING_TRUSTED_PROXIES),
    readiness: [postgresReadiness(pool), redisReadiness(redis), kafkaReadiness(cfg.KAFKA_BROKERS), keycloakReadiness(cfg)],
  });
  return {
    app,
    pool,
    readPool,
    reads,
    redis,
    keycloak,
    provisioner,
    async start() {
      if (overrides.runWorker !== false) provisioner.start();
    },
    async stop() {
      await provisioner.stop();
      if (readPool !== pool) await readPool.end();
      await pool.end();
      redis.disconnect();
    },
  };
}

/**
 * The onboarding outbox relay (`account.created` and the other onboarding events → Kafka), for its own process
 * (workers/relay.main.ts). Several may run at once: each drain claims its rows with FOR UPDATE SKIP LOCKED. Like
 * every outbox writer, the provisioning worker signals it after its COMMIT (`enqueue` registers the signal as the
 * transaction's after-commit hook: a NOTIFY outside the transaction); it LISTENs and polls as a fallback.
 */
export function buildOnboardingRelay(cfg: Pick<OnboardingConfig, 'ONBOARDING_DATABASE_URL' | 'KAFKA_BROKERS'>, logger: Logger) {
  const pool = createPool(cfg.ONBOARDING_DATABASE_URL, { applicationName: 'onboarding-relay' });
  const kafka = createKafka('onboarding-outbox', cfg.KAFKA_BROKERS, logger);
  const relay = new OutboxRelay({ pool, name: 'onboarding', connectionString: cfg.ONBOARDING_DATABASE_URL, kafka, logger });
  return {
    pool,
    relay,
    readiness: [postgresReadiness(pool), kafkaReadiness(cfg.KAFKA_BROKERS)],
    start: () => relay.start(),
    async stop() {
      await relay.stop();
      await pool.end();
    },
  };
}
