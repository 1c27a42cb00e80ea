// Starts the payments API: migrations, dependencies, HTTP server, graceful shutdown. The outbox relay and the PIX
// deadline sweeper run in their own process (workers/relay.main.ts, payments-relay).
import { createTokenVerifier, keycloakReadiness } from '@krt/platform/auth';
import { postgresReadiness, redisReadiness } from '@krt/platform/persistence';
import { listen, onShutdown } from '@krt/platform/http';
import { kafkaReadiness } from '@krt/platform/messaging';
import { observePool } from '@krt/platform/telemetry';
import { createPaymentsApp } from './app';
import { createPaymentsRuntime } from './runtime';

async function main() {
  const rt = await createPaymentsRuntime({ name: 'payments' });
  const { cfg, logger } = rt;
  // db_pool_connections of the API's pool (the relay process reports its own).
  observePool(rt.pool);
  const app = createPaymentsApp({
    logger,
    ctx: rt.ctx,
    verifyToken: createTokenVerifier(cfg),
    readiness: [postgresReadiness(rt.pool), redisReadiness(rt.redis), kafkaReadiness(cfg.KAFKA_BROKERS), keycloakReadiness(cfg)],
  });
  const server = await listen(app, cfg.PORT, cfg.HOST);
  logger.info({ port: server.port }, 'payments listening');
  onShutdown(logger, async () => {
    await server.close();
    await rt.close();
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
