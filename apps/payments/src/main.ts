// Starts the payments API: migrations, dependencies, HTTP server, outbox relay, deadline sweeper, graceful shutdown.
import { createTokenVerifier, keycloakReadiness } from '@krt/platform/auth';
import { postgresReadiness, redisReadiness } from '@krt/platform/persistence';
import { listen, onShutdown } from '@krt/platform/http';
import { createKafka, kafkaReadiness, OutboxRelay } from '@krt/platform/messaging';
import { recordPaymentsEvent, startDeadlineSweeper } from '@krt/payments';
import { createPaymentsApp } from './app';
import { createPaymentsRuntime } from './runtime';

async function main() {
  const rt = await createPaymentsRuntime({ name: 'payments' });
  const { cfg, logger } = rt;
  const app = createPaymentsApp({
    logger,
    ctx: rt.ctx,
    verifyToken: createTokenVerifier(cfg),
    readiness: [postgresReadiness(rt.pool), redisReadiness(rt.redis), kafkaReadiness(cfg.KAFKA_BROKERS), keycloakReadiness(cfg)],
  });
  const kafka = createKafka('payments-outbox', cfg.KAFKA_BROKERS, logger);
  const relay = new OutboxRelay({ pool: rt.pool, connectionString: cfg.PAYMENTS_DATABASE_URL, kafka, logger, onPublished: recordPaymentsEvent });
  await relay.start();
  const sweeper = startDeadlineSweeper(rt.ctx, { intervalMs: cfg.PIX_SWEEPER_INTERVAL_MS });
  const server = await listen(app, cfg.PORT, cfg.HOST);
  logger.info({ port: server.port }, 'payments listening');
  onShutdown(logger, async () => {
    await server.close();
    await sweeper.stop();
    await relay.stop();
    await rt.close();
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
