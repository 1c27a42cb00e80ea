// The notification worker (RabbitMQ → customers): one manual-ack consumer per channel queue with a bounded prefetch.
//
// Exactly once to the customer, with at-least-once delivery from RabbitMQ:
//  1. In one PostgreSQL transaction the delivery row (event, channel, recipient) is created if needed and locked
//     (one statement, which also reads the recipient's contact data).
//     'delivered' → the message is a duplicate (Kafka replay, broker redelivery, DLQ replay): ack and skip.
//  2. The side effect happens while the row is locked (SMTP send, SMS provider call), then the row is marked
//     'delivered' and the transaction commits; then ack. In-app is one statement: the notification and the delivered
//     row are inserted together unless the row already says 'delivered'.
//  Crash windows: dying before the commit rolls the claim back (PostgreSQL aborts the dead session), the broker
//  redelivers the unacked message, and the next attempt sends — so a worker killed mid-delivery still delivers once.
//  The only window left is between the provider accepting the message and the commit (one round trip); for it the
//  e-mail carries a stable Message-ID and the SMS a stable idempotency key, which providers use to drop a resend.
//  Dying after the commit but before the ack only causes a redelivery that step 1 acks.
// Failures: republished (with confirms) to a delay queue `<ns>.<channel>.retry.<n>` whose TTL dead-letters it back to
// the exchange; after the last attempt it goes to `<ns>.dlq` with the failure reason. Never an endless loop.
import type { Pool } from '@krt/platform/persistence';
import { scrub, type Logger } from '@krt/platform/telemetry';
import { consumeQueue, type amqp, type AmqpClient, type ConfirmPublisher } from '@krt/platform/messaging';
import type { EmailSender } from './channels/email.sender';
import { renderSms, type SmsProvider } from './channels/sms.provider';
import { claimDelivery, markDelivered, recordFailure, storeInAppOnce } from './deliveries.repository';
import { CHANNELS, notificationMessageSchema, type Channel, type NotificationMessage } from './notification.model';
import { notificationDeliveries } from './notifications.metrics';
import { assertTopology, HEADERS, type Topology } from './topology';

export interface NotificationWorkerDeps {
  pool: Pool;
  amqp: AmqpClient;
  publisher: ConfirmPublisher;
  topology: Topology;
  logger: Logger;
  email: EmailSender;
  sms: SmsProvider;
  liveExchange: string;
  prefetch: number;
  channels?: readonly Channel[];
}

export type DeliveryOutcome = 'delivered' | 'duplicate';

/** A failure worth retrying later (the cause may go away), with a reason safe to store and show operators. */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
}

export async function deliverEmailOrSms(deps: Pick<NotificationWorkerDeps, 'pool' | 'email' | 'sms'>, m: NotificationMessage): Promise<DeliveryOutcome> {
  const client = await deps.pool.connect();
  try {
    await client.query('BEGIN');
    const { status, contact } = await claimDelivery(client, m);
    if (status === 'delivered') {
      await client.query('COMMIT');
      return 'duplicate';
    }
    if (!contact) throw new DeliveryError('dados de contato do cliente ainda desconhecidos (account.created não recebido)');
    // A contact-change alert names its own address and number (the ones before the change); others go to the contact on file.
    const to = m.to ?? contact;
    const sent =
      m.channel === 'email'
        ? await deps.email.send({ name: contact.fullName, address: to.email }, m)
        : await deps.sms.send({ to: to.phone, text: renderSms(m), idempotencyKey: m.id });
    await markDelivered(client, m, sent.providerMessageId);
    await client.query('COMMIT');
    return 'delivered';
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** In-app: the notification row and the delivery row commit together (one statement); then the live event goes to the BFF. */
export async function deliverInApp(deps: Pick<NotificationWorkerDeps, 'pool' | 'publisher' | 'liveExchange' | 'logger'>, m: NotificationMessage): Promise<DeliveryOutcome> {
  const outcome: DeliveryOutcome = (await storeInAppOnce(deps.pool, m)) ? 'delivered' : 'duplicate';
  if (outcome === 'delivered') {
    const notification = { id: m.notificationId, title: m.title, body: m.body, kind: m.kind, createdAt: m.createdAt, ...(m.transferId ? { transferId: m.transferId } : {}) };
    const live = { customerId: m.customerId, notification };
    // Live events are a nicety on top of the stored notification: not persistent, not mandatory, failures only logged.
    await deps.publisher
      .publish(deps.liveExchange, `customer.${m.customerId}`, Buffer.from(JSON.stringify(live)), {
        persistent: false,
        mandatory: false,
        messageId: m.notificationId,
        contentType: 'application/json',
      })
      .catch((err: unknown) => deps.logger.warn({ err, notificationId: m.notificationId }, 'live notification not published'));
  }
  return outcome;
}

export function deliver(deps: NotificationWorkerDeps, m: NotificationMessage): Promise<DeliveryOutcome> {
  return m.channel === 'push' ? deliverInApp(deps, m) : deliverEmailOrSms(deps, m);
}

const headerNumber = (v: unknown, fallback: number) => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : fallback);

export interface RunningWorker {
  stop(): Promise<void>;
}

export async function startNotificationWorker(deps: NotificationWorkerDeps): Promise<RunningWorker> {
  const log = deps.logger.child({ component: 'notification-worker' });
  const t = deps.topology;
  await deps.amqp.onConnected(async (conn) => {
    const ch = await conn.createChannel();
    try {
      await assertTopology(ch, t, deps.liveExchange);
    } finally {
      await ch.close().catch(() => undefined);
    }
  });

  const handle = async (msg: amqp.ConsumeMessage, channel: amqp.Channel, queueChannel: Channel) => {
    const headers = msg.properties.headers ?? {};
    const attempt = headerNumber(headers[HEADERS.attempt], 1);
    const forward = async (queue: string, extraHeaders: Record<string, unknown>) => {
      await deps.publisher.sendToQueue(queue, msg.content, {
        messageId: msg.properties.messageId,
        contentType: msg.properties.contentType,
        correlationId: msg.properties.correlationId,
        headers: { ...headers, ...extraHeaders },
      });
    };

    let m: NotificationMessage;
    try {
      m = notificationMessageSchema.parse(JSON.parse(msg.content.toString()));
    } catch (err) {
      await forward(t.dlq, { [HEADERS.failureReason]: `mensagem ilegível: ${(err as Error).message.slice(0, 300)}`, [HEADERS.failedAt]: new Date().toISOString(), [HEADERS.channel]: queueChannel });
      channel.ack(msg);
      notificationDeliveries.inc({ channel: queueChannel, outcome: 'dead_lettered' });
      log.error({ queue: t.queue(queueChannel) }, 'unreadable message sent to the DLQ');
      return;
    }
    const ctx = { eventId: m.eventId, channel: m.channel, kind: m.kind, attempt, redelivered: msg.fields.redelivered, correlationId: m.correlationId };
    try {
      const outcome = await deliver(deps, m);
      channel.ack(msg);
      notificationDeliveries.inc({ channel: m.channel, outcome });
      log.info({ ...ctx, outcome }, outcome === 'delivered' ? 'notification delivered' : 'duplicate notification skipped');
    } catch (err) {
      const reason = scrub(err instanceof Error ? err.message : String(err)).slice(0, 500);
      await recordFailure(deps.pool, m, reason).catch((e: unknown) => log.warn({ err: e }, 'could not record the failed attempt'));
      if (attempt < t.maxAttempts) {
        await forward(t.retryQueue(m.channel, attempt), { [HEADERS.attempt]: attempt + 1, [HEADERS.lastError]: reason });
        channel.ack(msg);
        notificationDeliveries.inc({ channel: m.channel, outcome: 'retried' });
        log.warn({ ...ctx, reason, retryInMs: t.delaysMs[attempt - 1] }, 'delivery failed, retry scheduled');
      } else {
        await forward(t.dlq, { [HEADERS.failureReason]: reason, [HEADERS.failedAt]: new Date().toISOString(), [HEADERS.channel]: m.channel });
        channel.ack(msg);
        notificationDeliveries.inc({ channel: m.channel, outcome: 'dead_lettered' });
        log.error({ ...ctx, reason }, 'delivery failed on the last attempt, message sent to the DLQ');
      }
    }
  };

  const consumers: Array<{ stop(): Promise<void> }> = [];
  for (const ch of deps.channels ?? CHANNELS) {
    consumers.push(await consumeQueue(deps.amqp, log, { queue: t.queue(ch), prefetch: deps.prefetch, onMessage: (msg, channel) => handle(msg, channel, ch) }));
  }
  return {
    stop: async () => {
      await Promise.all(consumers.map((c) => c.stop()));
    },
  };
}
