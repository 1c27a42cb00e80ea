// Starts the Notification consumer (Kafka → RabbitMQ), its own process and consumer group, with /health and /ready.
import { startNotificationConsumer } from '@krt/notifications';
import { postgresReadiness } from '@krt/platform/persistence';
import { createServiceApp, listen, onShutdown, type RunningServer } from '@krt/platform/http';
import { createKafka, kafkaReadiness } from '@krt/platform/messaging';
import { amqpClientReadiness, bootstrap, isEntryPoint, type Env } from './runtime';

export async function startNotificationConsumerProcess(env: Env = {}, opts: { healthPort?: number; startAttempts?: number } = {}) {
  const { cfg, logger, pool, amqp, publisher, topology } = await bootstrap('notification-consumer', env);
  await amqp.start();
  const kafka = createKafka('notification-consumer', cfg.KAFKA_BROKERS, logger);
  let server: RunningServer | undefined;
  const healthPort = opts.healthPort ?? cfg.NOTIFICATION_CONSUMER_PORT;
  if (healthPort) {
    const app = createServiceApp({
      service: 'notification-consumer',
      logger,
      readiness: [postgresReadiness(pool), kafkaReadiness(cfg.KAFKA_BROKERS), amqpClientReadiness(amqp)],
    });
    server = await listen(app, healthPort, cfg.HOST);
  }
  // Kafka down at start-up is not fatal: keep trying (the /ready probe says what is missing meanwhile).
  let consumer: Awaited<ReturnType<typeof startNotificationConsumer>> | undefined;
  for (let attempt = 1; !consumer; attempt++) {
    try {
      consumer = await startNotificationConsumer({ kafka, pool, amqp, publisher, topology, logger, groupId: cfg.NOTIFICATIONS_CONSUMER_GROUP });
    } catch (err) {
      if (attempt >= (opts.startAttempts ?? 60)) throw err;
      logger.warn({ err, attempt }, 'could not start the Kafka consumer yet, retrying');
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  const running = consumer;
  logger.info({ groupId: cfg.NOTIFICATIONS_CONSUMER_GROUP, exchange: topology.exchange, healthPort: server?.port }, 'notification consumer running');
  return {
    consumer: running.consumer,
    logger,
    stop: async () => {
      await server?.close();
      await running.stop();
      await publisher.close();
      await amqp.close();
      await pool.end();
    },
  };
}

if (isEntryPoint(import.meta.url)) {
  startNotificationConsumerProcess().then(
    (running) => onShutdown(running.logger, running.stop),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
