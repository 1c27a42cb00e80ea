// Starts the payments API: configuration, migrations, dependencies, HTTP server, graceful shutdown.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { keycloakReadiness } from '@krt/platform/auth';
import { createPool, postgresReadiness } from '@krt/platform/db';
import { listen, onShutdown } from '@krt/platform/http';
import { kafkaReadiness } from '@krt/platform/kafka';
import { createLogger } from '@krt/platform/logger';
import { migrateService } from '@krt/platform/migrations';
import { createRedis, redisReadiness } from '@krt/platform/redis';
import { createPaymentsApp } from './app';
import { loadPaymentsConfig } from './config';

const MIGRATIONS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../migrations');

async function main() {
  const cfg = loadPaymentsConfig();
  const logger = createLogger('payments');
  await migrateService(cfg.PAYMENTS_DATABASE_URL, MIGRATIONS, logger);
  const pool = createPool(cfg.PAYMENTS_DATABASE_URL, { applicationName: 'payments' });
  const redis = createRedis(cfg.REDIS_URL, 'payments');
  const app = createPaymentsApp({
    logger,
    readiness: [postgresReadiness(pool), redisReadiness(redis), kafkaReadiness(cfg.KAFKA_BROKERS), keycloakReadiness(cfg)],
  });
  const server = await listen(app, cfg.PORT, cfg.HOST);
  logger.info({ port: server.port }, 'payments listening');
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
