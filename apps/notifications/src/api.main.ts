// Starts the notification center API (port 5003): configuration, migrations, HTTP server, graceful shutdown.
import { createTokenVerifier, keycloakReadiness } from '@krt/platform/auth';
import { postgresReadiness } from '@krt/platform/db';
import { listen, onShutdown } from '@krt/platform/http';
import { createNotificationsApp } from './app';
import { bootstrap, isEntryPoint, type Env } from './runtime';

export async function startNotificationsApi(env: Env = {}, opts: { port?: number } = {}) {
  const { cfg, logger, pool, amqp } = await bootstrap('notifications', env);
  await amqp.close(); // the API does not talk to RabbitMQ
  const app = createNotificationsApp({
    logger,
    pool,
    verifyToken: createTokenVerifier(cfg),
    readiness: [postgresReadiness(pool), keycloakReadiness(cfg)],
  });
  const server = await listen(app, opts.port ?? cfg.PORT, cfg.HOST);
  logger.info({ port: server.port }, 'notifications API listening');
  return {
    app,
    port: server.port,
    logger,
    close: async () => {
      await server.close();
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
