// Starts the notification worker (RabbitMQ → e-mail, SMS, in-app), with /health and /ready.
import { createSmtpEmailSender, FileSmsProvider, smtpSettings, startNotificationWorker } from '@krt/notifications';
import { postgresReadiness } from '@krt/platform/persistence';
import { createServiceApp, listen, onShutdown, type RunningServer } from '@krt/platform/http';
import { amqpClientReadiness, bootstrap, isEntryPoint, smtpReadiness, type Env } from './runtime';

export async function startNotificationWorkerProcess(env: Env = {}, opts: { healthPort?: number } = {}) {
  const base = await bootstrap('notification-worker', env, { poolMax: 40 });
  const { cfg, logger, pool, amqp, publisher, topology } = base;
  await amqp.start();
  const smtp = smtpSettings(cfg);
  const email = createSmtpEmailSender(smtp);
  const sms = new FileSmsProvider(cfg.SMS_OUTBOX_PATH);
  const worker = await startNotificationWorker({ pool, amqp, publisher, topology, logger, email, sms, liveExchange: cfg.LIVE_EXCHANGE, prefetch: cfg.NOTIFICATIONS_PREFETCH });
  let server: RunningServer | undefined;
  const healthPort = opts.healthPort ?? cfg.NOTIFICATION_WORKER_PORT;
  if (healthPort) {
    const app = createServiceApp({
      service: 'notification-worker',
      logger,
      readiness: [postgresReadiness(pool), amqpClientReadiness(amqp), smtpReadiness(smtp.host, smtp.port)],
    });
    server = await listen(app, healthPort, cfg.HOST);
  }
  logger.info({ exchange: topology.exchange, prefetch: cfg.NOTIFICATIONS_PREFETCH, maxAttempts: topology.maxAttempts, healthPort: server?.port }, 'notification worker running');
  return {
    logger,
    stop: async () => {
      await server?.close();
      await worker.stop();
      await publisher.close();
      await amqp.close();
      email.close();
      await pool.end();
    },
  };
}

if (isEntryPoint(import.meta.url)) {
  startNotificationWorkerProcess().then(
    (running) => onShutdown(running.logger, running.stop),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
