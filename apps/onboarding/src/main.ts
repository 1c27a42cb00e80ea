// Starts the onboarding API: configuration, migrations, dependencies, HTTP server, graceful shutdown.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { keycloakReadiness } from '@krt/platform/auth';
import { createPool, postgresReadiness } from '@krt/platform/db';
import { listen, onShutdown } from '@krt/platform/http';
import { kafkaReadiness } from '@krt/platform/kafka';
import { createLogger } from '@krt/platform/logger';
import { migrateService } from '@krt/platform/migrations';
import { createRedis, redisReadiness } from '@krt/platform/redis';
import { createOnboardingApp } from './app';
import { loadOnboardingConfig } from './config';

const MIGRATIONS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../migrations');

async function main() {
  const cfg = loadOnboardingConfig();
  const logger = createLogger('onboarding');
  await migrateService(cfg.ONBOARDING_DATABASE_URL, MIGRATIONS, logger);
  const pool = createPool(cfg.ONBOARDING_DATABASE_URL, { applicationName: 'onboarding' });
  const redis = createRedis(cfg.REDIS_URL, 'onboarding');
  const app = createOnboardingApp({
    logger,
    readiness: [postgresReadiness(pool), redisReadiness(redis), kafkaReadiness(cfg.KAFKA_BROKERS), keycloakReadiness(cfg)],
  });
  const server = await listen(app, cfg.PORT, cfg.HOST);
  logger.info({ port: server.port }, 'onboarding listening');
  onShutdown(logger, async () => {
    await server.close();
    await pool.end();
    redis.disconnect();
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
