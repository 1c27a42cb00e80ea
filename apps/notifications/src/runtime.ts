// Wiring shared by the notification processes: configuration, migrations, pools, the AMQP client and publisher.
import path from 'node:path';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { loadNotificationsConfig, topology, type NotificationsConfig } from '@krt/notifications';
import { createPool, migrateService } from '@krt/platform/persistence';
import { createLogger, type Logger } from '@krt/platform/telemetry';
import { AmqpClient, ConfirmPublisher } from '@krt/platform/messaging';
import type { ReadinessCheck } from '@krt/platform/http';
import { repoPath } from '@krt/platform/config';

export const MIGRATIONS = repoPath('apps/notifications/migrations');

export type Env = Record<string, string | undefined>;

export async function bootstrap(service: string, env: Env, opts: { poolMax?: number; logger?: Logger } = {}) {
  const cfg: NotificationsConfig = loadNotificationsConfig({ ...process.env, ...env });
  const logger = opts.logger ?? createLogger(service);
  await migrateService(cfg.NOTIFICATIONS_DATABASE_URL, MIGRATIONS, logger);
  const pool = createPool(cfg.NOTIFICATIONS_DATABASE_URL, { applicationName: service, max: opts.poolMax ?? 10 });
  const amqp = new AmqpClient({ url: cfg.AMQP_URL, name: service, logger });
  const publisher = new ConfirmPublisher(amqp, { timeoutMs: 15_000 });
  const t = topology(cfg.NOTIFICATIONS_AMQP_NAMESPACE, cfg.NOTIFICATIONS_RETRY_DELAYS_MS);
  return { cfg, logger, pool, amqp, publisher, topology: t };
}

/** Whether is this module the process entry point (`node --import tsx <file>`), not imported by a test. */
export const isEntryPoint = (metaUrl: string) => Boolean(process.argv[1]) && path.resolve(process.argv[1]!) === fileURLToPath(metaUrl);

/** Readiness of the SMTP server: a TCP connection within the deadline. */
export function smtpReadiness(host: string, port: number): ReadinessCheck {
  return {
    name: 'smtp',
    check: () =>
      new Promise<void>((resolve, reject) => {
        const socket = net.connect({ host, port });
        socket.setTimeout(1000, () => {
          socket.destroy();
          reject(new Error('timeout'));
        });
        socket.once('connect', () => {
          socket.destroy();
          resolve();
        });
        socket.once('error', reject);
      }),
  };
}

/** Readiness of this process's own AMQP client (it reconnects by itself). */
export function amqpClientReadiness(client: AmqpClient): ReadinessCheck {
  return {
    name: 'rabbitmq',
    check: async () => {
      if (!client.connected) throw new Error('not connected (reconnecting)');
    },
  };
}
