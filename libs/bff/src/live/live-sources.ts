// Feeds the live hub: PIX status changes from Kafka (a consumer group of this process alone, so every BFF process
// sees every event; starting from the latest offset) and in-app notifications from the RabbitMQ exchange `krt.live`.
import { envelopeSchema, pixCompletedPayload, pixFailedPayload, pixInitiatedPayload, TOPICS } from '@krt/contracts';
import type { Logger } from '@krt/platform/telemetry';
import { amqp } from '@krt/platform/messaging';
import type { Consumer, Kafka } from 'kafkajs';
import { hostname } from 'node:os';
import { z } from 'zod';
import { pixStatusMessages, type LiveHub } from './live-hub';

const PIX_TOPICS = [TOPICS.pixInitiated, TOPICS.pixCompleted, TOPICS.pixFailed] as const;
const PAYLOAD_BY_TOPIC: Record<string, z.ZodTypeAny> = {
  [TOPICS.pixInitiated]: pixInitiatedPayload,
  [TOPICS.pixCompleted]: pixCompletedPayload,
  [TOPICS.pixFailed]: pixFailedPayload,
};

export interface LiveSource {
  /** Resolves once the source receives messages (Kafka: the group has joined and partitions are assigned). */
  ready: Promise<void>;
  stop(): Promise<void>;
}

export function liveGroupId() {
  return `bff-live-${hostname()}-${process.pid}-${Date.now().toString(36)}`;
}

export async function startPixLiveSource(opts: {
  kafka: Kafka;
  hub: LiveHub;
  logger: Logger;
  groupId?: string;
  /** Called when the consumer crashed for good (kafkajs will not restart it): the caller starts a new one. */
  onFatal?: (err: Error) => void;
}): Promise<LiveSource> {
  const groupId = opts.groupId ?? liveGroupId();
  const log = opts.logger.child({ live: 'kafka', consumerGroup: groupId });
  const consumer: Consumer = opts.kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1000, rebalanceTimeout: 10_000, retry: { retries: 10 } });
  let resolveReady!: () => void;
  const ready = new Promise<void>((r) => (resolveReady = r));
  consumer.on(consumer.events.GROUP_JOIN, () => resolveReady());
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (!payload.restart) opts.onFatal?.(payload.error);
  });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...PIX_TOPICS], fromBeginning: false });
  } catch (err) {
    await consumer.disconnect().catch(() => undefined);
    throw err;
  }
  const handle = (topic: string, raw: string) => {
    try {
      const envelope = envelopeSchema.parse(JSON.parse(raw));
      const payload = PAYLOAD_BY_TOPIC[topic]?.parse(envelope.payload) as Parameters<typeof pixStatusMessages>[1]['payload'] | undefined;
      if (!payload) return;
      for (const { customerId, message: live } of pixStatusMessages(topic, { eventId: envelope.eventId, payload })) opts.hub.publish(customerId, live);
    } catch (err) {
      log.warn({ err: (err as Error).message, topic }, 'unreadable PIX event ignored by the live stream');
    }
  };
  // Whole batches (their offsets resolved after each batch): an event that names no customer listening on this process
  // is skipped before any JSON parsing, so a BFF with nobody connected reads the stream almost for free.
  await consumer.run({
    autoCommit: true,
    eachBatch: async ({ batch }) => {
      for (const message of batch.messages) {
        if (!message.value) continue;
        const raw = message.value.toString();
        if (opts.hub.mayConcern(raw)) handle(batch.topic, raw);
      }
    },
  });
  return {
    ready,
    stop: async () => {
      await consumer.disconnect().catch(() => undefined);
      // The group is this process's alone: remove it so stopped BFFs leave nothing behind.
      const admin = opts.kafka.admin();
      await admin
        .connect()
        .then(() => admin.deleteGroups([groupId]))
        .catch(() => undefined)
        .finally(() => admin.disconnect().catch(() => undefined));
    },
  };
}

/** Exchange the notification service publishes in-app notifications to: `{ customerId, notification: {...} }`. */
export const LIVE_EXCHANGE = 'krt.live';
export const LIVE_EXCHANGE_TYPE = 'topic';

const liveNotification = z.object({ customerId: z.string().min(1), notification: z.record(z.string(), z.unknown()) });

/** Binds an exclusive, auto-deleted queue of this process to `krt.live` (every routing key) and reconnects when the broker comes back. */
export function startNotificationLiveSource(opts: { url: string; hub: LiveHub; logger: Logger }): LiveSource {
  const log = opts.logger.child({ live: 'rabbitmq' });
  let connection: amqp.ChannelModel | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  let resolveReady!: () => void;
  const ready = new Promise<void>((r) => (resolveReady = r));

  const connect = async () => {
    if (stopped) return;
    try {
      connection = await amqp.connect(opts.url, { timeout: 2000 });
      connection.on('error', () => undefined);
      connection.on('close', () => {
        connection = undefined;
        if (!stopped) retry = setTimeout(connect, 2000);
      });
      const channel = await connection.createChannel();
      await channel.assertExchange(LIVE_EXCHANGE, LIVE_EXCHANGE_TYPE, { durable: true });
      const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false });
      await channel.bindQueue(queue, LIVE_EXCHANGE, '#');
      await channel.consume(
        queue,
        (msg) => {
          if (!msg) return;
          try {
            const body = liveNotification.parse(JSON.parse(msg.content.toString()));
            const id = typeof body.notification.id === 'string' ? body.notification.id : msg.properties.messageId ?? `${Date.now()}`;
            opts.hub.publish(body.customerId, { event: 'notification', id: String(id), data: body.notification });
          } catch (err) {
            log.warn({ err: (err as Error).message }, 'unreadable live notification ignored');
          }
        },
        { noAck: true },
      );
      resolveReady();
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'live notifications: RabbitMQ unavailable, retrying');
      connection = undefined;
      if (!stopped) retry = setTimeout(connect, 2000);
    }
  };
  void connect();
  return {
    ready,
    stop: async () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      await connection?.close().catch(() => undefined);
    },
  };
}
