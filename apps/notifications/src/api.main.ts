// Starts the notification center API (port 5003): configuration, migrations, HTTP server, graceful shutdown. Besides
// the customers' notification center it serves the operators' dead letters (Kafka `.dlt` topics, RabbitMQ DLQ), so it
// keeps a RabbitMQ connection and a Kafka client (both used only by those admin routes; not in /ready).
import { createTokenVerifier, keycloakReadiness } from '@krt/platform/auth';
import { postgresReadiness } from '@krt/platform/persistence';
import { listen, onShutdown } from '@krt/platform/http';
import { createKafka } from '@krt/platform/messaging';
import type { Producer } from 'kafkajs';
import { createNotificationsApp } from './app';
import { bootstrap, isEntryPoint, type Env } from './runtime';

export async function startNotificationsApi(env: Env = {}, opts: { port?: number } = {}) {
  const { cfg, logger, pool, amqp, publisher, topology } = await bootstrap('notifications', env);
  // RabbitMQ away at start-up is not fatal: the client reconnects, and the dead-letter routes answer 503 meanwhile.
  void amqp.start().catch((err: unknown) => logger.warn({ err }, 'RabbitMQ not reachable yet (dead-letter routes)'));
  const kafka = createKafka('notifications-api', cfg.KAFKA_BROKERS, logger);
  // One producer for replays, connected on first use; a failed connect is retried by the next replay.
  let producer: Promise<Producer> | undefined;
  const getProducer = () => {
    producer ??= (async () => {
      const p = kafka.producer({ allowAutoTopicCreation: false });
      await p.connect();
      return p;
    })().catch((err: unknown) => {
      producer = undefined;
      throw err;
    });
    return producer;
  };
  const app = createNotificationsApp({
    logger,
    pool,
    verifyToken: createTokenVerifier(cfg),
    readiness: [postgresReadiness(pool), keycloakReadiness(cfg)],
    admin: { pool, kafka, amqp, publisher, topology, producer: getProducer },
  });
  const server = await listen(app, opts.port ?? cfg.PORT, cfg.HOST);
  logger.info({ port: server.port }, 'notifications API listening');
  return {
    app,
    port: server.port,
    logger,
    close: async () => {
      await server.close();
      await (await producer?.catch(() => undefined))?.disconnect().catch(() => undefined);
      await publisher.close();
      await amqp.close();
      await pool.end();
    },
  };
}

if (isEntryPoint(import.meta.url)) {
  startNotificationsApi().then(
    (running) => onShutdown(running.logger, running.close),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
