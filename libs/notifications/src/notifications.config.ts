// Configuration of the notification processes (consumer, worker, API, DLQ command), from the environment.
import { databaseUrl, keycloakConfigSchema, loadConfig, portSchema, STACK_DEFAULTS, repoPath } from '@krt/platform/config';
import path from 'node:path';
import { z } from 'zod';

const STACK_DIR = process.env.KRT_STACK_DIR ?? repoPath('.stack');

const delays = z
  .string()
  .regex(/^\d+(,\d+)*$/, 'comma-separated milliseconds')
  .transform((s) => s.split(',').map(Number));

export const notificationsConfigSchema = keycloakConfigSchema.extend({
  HOST: z.string().default('127.0.0.1'),
  /** Notification center API. */
  PORT: portSchema.default(5003),
  /** /health and /ready of the Kafka consumer and of the worker (0 = none). */
  NOTIFICATION_CONSUMER_PORT: portSchema.default(5031),
  NOTIFICATION_WORKER_PORT: portSchema.default(5032),
  NOTIFICATIONS_DATABASE_URL: z.string().default(databaseUrl('notifications')),
  KAFKA_BROKERS: z.string().default(STACK_DEFAULTS.kafkaBrokers),
  AMQP_URL: z.string().default(STACK_DEFAULTS.amqpUrl),
  /** Name of the direct exchange and prefix of every queue (tests use their own to stay isolated). */
  NOTIFICATIONS_AMQP_NAMESPACE: z.string().regex(/^[a-z0-9._-]+$/).default('notifications'),
  /** Delay before each retry; attempts = delays + 1, then the DLQ. */
  NOTIFICATIONS_RETRY_DELAYS_MS: delays.default([1000, 5000, 15000]),
  NOTIFICATIONS_PREFETCH: z.coerce.number().int().min(1).max(500).default(10),
  /** Topic exchange the BFF reads in-app notifications from (server-sent events). */
  LIVE_EXCHANGE: z.string().default('krt.live'),
  /** `smtp://user:pass@host:port` or `smtps://…`; when set it wins over SMTP_HOST/SMTP_PORT/SMTP_SECURE/SMTP_USER/SMTP_PASSWORD. */
  SMTP_URL: z.string().url().optional(),
  SMTP_HOST: z.string().default('127.0.0.1'),
  SMTP_PORT: portSchema.default(1025),
  SMTP_SECURE: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  MAIL_FROM: z.string().default('KRT Bank <nao-responda@krt.bank>'),
  /** The local SMS provider appends one JSON line per message here. */
  SMS_OUTBOX_PATH: z.string().default(path.join(STACK_DIR, 'sms', 'outbox.jsonl')),
  NOTIFICATIONS_CONSUMER_GROUP: z.string().default('notifications.notification-consumer'),
});
export type NotificationsConfig = z.infer<typeof notificationsConfigSchema>;

/** The SMTP settings, from SMTP_URL when given (as docker-compose does), else from the separate variables. */
export function smtpSettings(cfg: NotificationsConfig) {
  const from = cfg.MAIL_FROM;
  if (!cfg.SMTP_URL) return { host: cfg.SMTP_HOST, port: cfg.SMTP_PORT, secure: cfg.SMTP_SECURE, user: cfg.SMTP_USER, password: cfg.SMTP_PASSWORD, from };
  const u = new URL(cfg.SMTP_URL);
  const secure = u.protocol === 'smtps:';
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 465 : 25,
    secure,
    user: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    from,
  };
}

export const loadNotificationsConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(notificationsConfigSchema, env);
