// Starts the BFF: configuration, Redis, readiness of its own dependencies and of the upstream APIs, HTTP server.
import { keycloakReadiness } from '@krt/platform/auth';
import { listen, onShutdown } from '@krt/platform/http';
import { createLogger } from '@krt/platform/logger';
import { rabbitmqReadiness } from '@krt/platform/rabbitmq';
import { createRedis, redisReadiness } from '@krt/platform/redis';
import { createBffApp } from './app';
import { loadBffConfig } from './config';
import { upstreamReadiness } from './upstream-readiness';

const splitUrls = (list: string) => list.split(',').map((u) => u.trim()).filter(Boolean);

async function main() {
  const cfg = loadBffConfig();
  const logger = createLogger('bff');
  const redis = createRedis(cfg.REDIS_URL, 'bff');
  const app = createBffApp({
    logger,
    readiness: [
      redisReadiness(redis),
      keycloakReadiness(cfg),
      rabbitmqReadiness(cfg.AMQP_URL),
      ...upstreamReadiness({ payments: splitUrls(cfg.PAYMENTS_URLS), onboarding: splitUrls(cfg.ONBOARDING_URLS) }, ['postgres', 'kafka']),
    ],
  });
  const server = await listen(app, cfg.PORT, cfg.HOST);
  logger.info({ port: server.port }, 'bff listening');
  onShutdown(logger, async () => {
    await server.close();
    redis.disconnect();
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
