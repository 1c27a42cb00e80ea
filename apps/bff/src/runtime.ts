// Wires the BFF from its configuration: Redis, Keycloak (OIDC client + token verifier), sessions, upstream pools,
// rate limiters, live event sources. Used by main.ts and by in-process integration tests.
import {
  LiveHub,
  ReadCache,
  UpstreamPool,
  createLimiter,
  createOidcClient,
  createSessionService,
  createSessionStore,
  splitUrls,
  startNotificationLiveSource,
  startPixLiveSource,
  type LiveSource,
  type UpstreamName,
} from '@krt/bff';
import { createTokenVerifier, keycloakReadiness } from '@krt/platform/auth';
import { realmUrls } from '@krt/platform/config';
import { createKafka, rabbitmqReadiness } from '@krt/platform/messaging';
import type { Logger } from '@krt/platform/telemetry';
import { createRedis, redisReadiness } from '@krt/platform/persistence';
import { createBffApp, type BffDeps } from './app';
import type { BffConfig } from './config';
import { upstreamReadiness } from './upstream-readiness';

export interface BffRuntime {
  app: ReturnType<typeof createBffApp>;
  deps: BffDeps;
  /** Resolves when the live event sources receive messages. */
  liveReady: Promise<void>;
  stop(): Promise<void>;
}

export async function createBffRuntime(cfg: BffConfig, logger: Logger): Promise<BffRuntime> {
  const redis = createRedis(cfg.REDIS_URL, 'bff');
  const urls = realmUrls(cfg);
  const oidc = createOidcClient({ issuer: urls.issuer, internalIssuer: urls.internal, clientId: cfg.BFF_CLIENT_ID, clientSecret: cfg.BFF_CLIENT_SECRET });
  const store = createSessionStore({
    redis,
    secret: cfg.BFF_SESSION_KEY,
    idleSeconds: cfg.SESSION_IDLE_SECONDS,
    absoluteSeconds: cfg.SESSION_ABSOLUTE_SECONDS,
    keyPrefix: cfg.REDIS_KEY_PREFIX,
  });
  const sessions = createSessionService({ store, oidc, verify: createTokenVerifier(cfg), logger, refreshSkewSeconds: cfg.REFRESH_SKEW_SECONDS });

  const pool = (name: UpstreamName, list: string) =>
    new UpstreamPool({
      name,
      urls: splitUrls(list),
      timeoutMs: cfg.UPSTREAM_TIMEOUT_MS,
      breakerThreshold: cfg.BREAKER_THRESHOLD,
      halfOpenAfterMs: cfg.BREAKER_HALF_OPEN_MS,
      healthIntervalMs: cfg.HEALTH_INTERVAL_MS,
      logger,
    }).start();
  const upstreams: Record<UpstreamName, UpstreamPool> = {
    payments: pool('payments', cfg.PAYMENTS_URLS),
    onboarding: pool('onboarding', cfg.ONBOARDING_URLS),
    notifications: pool('notifications', cfg.NOTIFICATIONS_URLS),
  };

  const limiterOpts = { keyPrefix: cfg.REDIS_KEY_PREFIX, logger };
  const window = cfg.RATE_LIMIT_WINDOW_SECONDS;
  const signinWindow = cfg.RATE_LIMIT_SIGNIN_WINDOW_SECONDS;
  const limiters = {
    apiPerSession: createLimiter(redis, 'api-session', { points: cfg.RATE_LIMIT_API_PER_SESSION, durationSeconds: window }, limiterOpts),
    apiPerIp: createLimiter(redis, 'api-ip', { points: cfg.RATE_LIMIT_API_PER_IP, durationSeconds: window }, limiterOpts),
    signinPerIpCpf: createLimiter(redis, 'signin-ip-cpf', { points: cfg.RATE_LIMIT_SIGNIN_PER_IP_CPF, durationSeconds: signinWindow }, limiterOpts),
    signinPerIp: createLimiter(redis, 'signin-ip', { points: cfg.RATE_LIMIT_SIGNIN_PER_IP, durationSeconds: signinWindow }, limiterOpts),
    authPerIp: createLimiter(redis, 'auth-ip', { points: cfg.RATE_LIMIT_AUTH_PER_IP, durationSeconds: window }, limiterOpts),
    registrationPerIp: createLimiter(redis, 'registration-ip', { points: cfg.RATE_LIMIT_REGISTRATION_PER_IP, durationSeconds: window }, limiterOpts),
  };

  const reads = new ReadCache(redis, { keyPrefix: cfg.REDIS_KEY_PREFIX, ttlMs: cfg.READ_CACHE_TTL_MS });
  const hub = new LiveHub({ onPublish: (customerId) => reads.bump(customerId) });
  const sources: LiveSource[] = [];
  if (cfg.LIVE_EVENTS) {
    sources.push(startNotificationLiveSource({ url: cfg.AMQP_URL, hub, logger }));
    const kafka = createKafka('krt-bff', cfg.KAFKA_BROKERS, logger);
    // Kafka may be down when the BFF starts: the PIX stream keeps trying in the background, without holding up the BFF.
    let pix: LiveSource | undefined;
    let stopped = false;
    let retry: NodeJS.Timeout | undefined;
    let markReady!: () => void;
    const pixReady = new Promise<void>((r) => (markReady = r));
    const connectPix = async () => {
      try {
        pix = await startPixLiveSource({
          kafka,
          hub,
          logger,
          onFatal: (err) => {
            logger.warn({ err: err.message }, 'live PIX events: consumer stopped for good, starting a new one in 5 s');
            const dead = pix;
            pix = undefined;
            void dead?.stop();
            if (!stopped) retry = setTimeout(connectPix, 5000);
          },
        });
        if (stopped) await pix.stop();
        else void pix.ready.then(markReady);
      } catch (err) {
        logger.warn({ err: (err as Error).message }, 'live PIX events: Kafka unavailable, retrying in 5 s');
        if (!stopped) retry = setTimeout(connectPix, 5000);
      }
    };
    void connectPix();
    sources.push({
      ready: pixReady,
      stop: async () => {
        stopped = true;
        if (retry) clearTimeout(retry);
        await pix?.stop();
      },
    });
  }

  const deps: BffDeps = {
    cfg,
    logger,
    redis,
    oidc,
    sessions,
    upstreams,
    limiters,
    hub,
    reads,
    readiness: [
      redisReadiness(redis),
      keycloakReadiness(cfg),
      rabbitmqReadiness(cfg.AMQP_URL),
      ...upstreamReadiness({ payments: splitUrls(cfg.PAYMENTS_URLS), onboarding: splitUrls(cfg.ONBOARDING_URLS) }, ['postgres', 'kafka']),
    ],
  };
  const app = createBffApp(deps);
  return {
    app,
    deps,
    liveReady: Promise.all(sources.map((s) => s.ready)).then(() => undefined),
    async stop() {
      hub.closeAll();
      for (const u of Object.values(upstreams)) u.stop();
      await Promise.all(sources.map((s) => s.stop().catch(() => undefined)));
      redis.disconnect();
    },
  };
}
